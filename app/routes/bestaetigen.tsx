import { getFormProps, useForm } from "@conform-to/react";
import { Form, Link, data, useActionData } from "react-router";
import type { Route } from "./+types/bestaetigen";
import { useMessages } from "../i18n";
import { isUuid } from "../server/http/form.server";
import { isAwaitingProof } from "../server/requests/prove.server";
import { checkInBrowser } from "../ui/form/browser-check";
import { ErrorSummary, Honeypot, TextField, useErrorText } from "../ui/form/fields";
import { PageTitle } from "../ui/page-title";
import { type Outcome, proofAction } from "./bestaetigen/actions.server";
import { proofFormSchema } from "./bestaetigen/proof-form";

/** The request id travels in the URL (and in the mail's link), so the proof works on any device. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const requestId = new URL(request.url).searchParams.get("antrag");
  if (!isUuid(requestId) || !(await isAwaitingProof(context.services, requestId))) {
    return data({ requestId: null }, { status: 404 });
  }
  return { requestId };
}

export function action(args: Route.ActionArgs) {
  return proofAction(args);
}

export default function ConfirmEmail({ loaderData }: Route.ComponentProps) {
  const m = useMessages().journey.confirm;
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const errorText = useErrorText();
  // The code is checked in the browser with the action's schema as the person leaves the field;
  // whether it matches, only the server knows. A refused code is not typed back.
  const [form, fields] = useForm({
    id: "proof",
    lastResult: outcome?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(proofFormSchema),
  });
  if (!loaderData.requestId) {
    return (
      <>
        <PageTitle title={m.title} />
        <h1>{m.title}</h1>
        <p className="warning">{m.unknown}</p>
        <p>
          <Link to="/antrag">{m.startAgain}</Link>
        </p>
      </>
    );
  }
  const summary = Object.entries(form.allErrors).flatMap(([name, keys]) =>
    keys.length > 0 ? [{ name: name === "code" ? name : "", message: errorText(keys[0])! }] : [],
  );
  const action = `/bestaetigen?antrag=${loaderData.requestId}`;
  return (
    <>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p className="lead">{m.intro}</p>
      <p>{m.validity}</p>
      {outcome?.resent ? (
        <p className="success" role="status">
          {m.resent}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />
      <Form method="post" action={action} {...getFormProps(form)}>
        <Honeypot />
        <TextField
          name="code"
          label={m.code}
          hint={m.codeHint}
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          error={errorText(fields.code.errors?.[0])}
        />
        <button type="submit" className="button" name="intent" value="confirm">
          {m.submit}
        </button>
      </Form>
      <Form method="post" action={action} className="secondary-action">
        <p className="note">{m.noMail}</p>
        <button type="submit" className="button button--secondary" name="intent" value="resend">
          {m.resend}
        </button>
      </Form>
    </>
  );
}
