import { getFormProps, useForm } from "@conform-to/react";
import { Form, Link, useActionData } from "react-router";
import type { Route } from "./+types/vorgang";
import { useLang, useMessages } from "../i18n";
import { listCases } from "../server/requests/case-view.server";
import { getPerson } from "../server/requests/person-session.server";
import { checkInBrowser } from "../ui/form/browser-check";
import { ErrorSummary, Honeypot, type SummaryError, TextField, useErrorText } from "../ui/form/fields";
import { kindList } from "../ui/form/kind-list";
import { useSentBack } from "../ui/form/sent-back";
import { signInCodeSchema, signInEmailSchema } from "./vorgang/forms";
import { PageTitle } from "../ui/page-title";
import { type Outcome, signInAction } from "./vorgang/sign-in-actions.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  const person = await getPerson(request, context.services.config);
  const cases = await listCases(context.services, person.emails);
  const adding = new URL(request.url).searchParams.has("weitere");
  return { emails: person.emails, pendingEmail: person.pendingEmail ?? null, cases, adding };
}

export function action(args: Route.ActionArgs) {
  return signInAction(args);
}

export default function MyCases({ loaderData }: Route.ComponentProps) {
  const messages = useMessages();
  const j = messages.journey;
  const lang = useLang();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const errorText = useErrorText();
  // Each field is checked in the browser with the action's schema as the person leaves it; the
  // server checks again and alone knows whether a code matches. A refused code is not typed back.
  const [emailForm, emailFields] = useForm({
    id: "sign-in-email",
    lastResult: useSentBack("send-code"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(signInEmailSchema),
  });
  const [codeForm, codeFields] = useForm({
    id: "sign-in-code",
    lastResult: useSentBack("verify"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(signInCodeSchema),
  });
  const shownForm = loaderData.pendingEmail ? codeForm : emailForm;
  const summary: SummaryError[] = [
    ...(outcome?.error ? [{ name: "", message: errorText(outcome.error)! }] : []),
    ...Object.entries(shownForm.allErrors).flatMap(([name, keys]) =>
      keys.length > 0
        ? [{ name: name === "email" || name === "code" ? name : "", message: errorText(keys[0])! }]
        : [],
    ),
  ];
  const signedIn = loaderData.emails.length > 0;
  const showSignIn = !signedIn || loaderData.adding || loaderData.pendingEmail;

  return (
    <>
      <PageTitle title={j.cases.title} />
      <h1>{j.cases.title}</h1>
      {signedIn ? (
        <>
          <p>{j.signIn.signedInAs(loaderData.emails.join(", "))}</p>
          <p className="note">{j.signIn.sessionNote}</p>
          {loaderData.cases.length === 0 ? (
            <p>{j.cases.none}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{j.cases.reference}</th>
                  <th scope="col">{j.cases.kinds}</th>
                  <th scope="col">{j.cases.receivedAt}</th>
                  <th scope="col">{j.cases.deadline}</th>
                  <th scope="col">{j.cases.status}</th>
                </tr>
              </thead>
              <tbody>
                {loaderData.cases.map((c) => (
                  <tr key={c.reference}>
                    <td>
                      <Link to={`/vorgang/${c.reference}`}>{c.reference}</Link>
                    </td>
                    <td>{kindList(c.kinds, lang)}</td>
                    <td>{c.receivedAt ? j.formatDate(c.receivedAt) : "–"}</td>
                    <td>
                      {c.extendedDeadline
                        ? j.formatDate(c.extendedDeadline)
                        : c.deadline
                          ? j.formatDate(c.deadline)
                          : "–"}
                    </td>
                    <td>{j.status[c.status] ?? j.status.other}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            <Link to="/antrag">{j.cases.newRequest}</Link> ·{" "}
            <Link to="/vorgang?weitere=1">{j.signIn.addAddress}</Link>
          </p>
          <Form method="post">
            <button type="submit" className="button button--secondary" name="intent" value="sign-out">
              {j.signIn.signOut}
            </button>
          </Form>
        </>
      ) : (
        <p className="lead">{j.signIn.intro}</p>
      )}

      {showSignIn ? (
        <section aria-labelledby="sign-in-title">
          <h2 id="sign-in-title">{signedIn ? j.signIn.addAddress : j.signIn.title}</h2>
          <ErrorSummary errors={summary} />
          {loaderData.pendingEmail ? (
            <>
              <p className="success" role="status">
                {j.signIn.sent}
              </p>
              <Form method="post" {...getFormProps(codeForm)}>
                <Honeypot />
                <TextField
                  name="code"
                  label={j.signIn.code}
                  hint={j.signIn.codeHint}
                  required
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={12}
                  error={errorText(codeFields.code.errors?.[0])}
                />
                <button type="submit" className="button" name="intent" value="verify">
                  {j.signIn.verify}
                </button>
              </Form>
              <Form method="post">
                <button
                  type="submit"
                  className="button button--secondary"
                  name="intent"
                  value="other-address"
                >
                  {j.signIn.otherAddress}
                </button>
              </Form>
            </>
          ) : (
            <Form method="post" {...getFormProps(emailForm)}>
              <Honeypot />
              <TextField
                name="email"
                type="email"
                label={j.signIn.email}
                required
                autoComplete="email"
                maxLength={254}
                defaultValue={emailFields.email.initialValue}
                error={errorText(emailFields.email.errors?.[0])}
              />
              <button type="submit" className="button" name="intent" value="send-code">
                {j.signIn.send}
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}
