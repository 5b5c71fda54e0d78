import { Form, Link, data, redirect, useActionData } from "react-router";
import type { Route } from "./+types/bestaetigen";
import { useMessages } from "../i18n";
import { journeyDeps } from "../server/requests/deps.server";
import { formText, isUuid, readForm } from "../server/http/form.server";
import { clientKeyOf, sendQueuedMail } from "../server/http/context.server";
import { addProvenEmail, commitPerson, getPerson } from "../server/requests/person-session.server";
import { isAwaitingProof, proveRequest, resendProofCode } from "../server/requests/prove.server";
import { gatherOnReceipt } from "../server/gather/gather.server";
import { codeSchema } from "../server/requests/request-form";
import { ErrorSummary, Honeypot, TextField, useErrorText } from "../ui/form/fields";
import { PageTitle } from "../ui/page-title";

/** The request id travels in the URL (and in the mail's link), so the proof works on any device. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const requestId = new URL(request.url).searchParams.get("antrag");
  if (!isUuid(requestId) || !(await isAwaitingProof(journeyDeps(context.services), requestId))) {
    return data({ requestId: null }, { status: 404 });
  }
  return { requestId };
}

type Outcome = { error?: string; field?: "code"; resent?: boolean };

export async function action({ request, context }: Route.ActionArgs) {
  const requestId = new URL(request.url).searchParams.get("antrag");
  const form = await readForm(request);
  if (!form || formText(form, "website")) return data<Outcome>({ error: "badForm" }, { status: 400 });
  if (!isUuid(requestId)) return data<Outcome>({ error: "badForm" }, { status: 404 });
  const deps = journeyDeps(context.services);

  if (formText(form, "intent") === "resend") {
    const resent = await resendProofCode(deps, { requestId, clientKey: clientKeyOf(context) });
    if (!resent.ok)
      return data<Outcome>(
        { error: resent.reason === "rate-limited" ? "rateLimited" : "badForm" },
        { status: resent.reason === "rate-limited" ? 429 : 404 },
      );
    await sendQueuedMail(context, resent.outboxIds);
    return { resent: true } satisfies Outcome;
  }

  const code = codeSchema.safeParse(formText(form, "code") ?? "");
  if (!code.success) return data<Outcome>({ error: "code", field: "code" }, { status: 400 });
  const proof = await proveRequest(deps, { requestId, code: code.data });
  if (proof.ok) {
    await sendQueuedMail(context, proof.outboxIds);
    await gatherOnReceipt(context.services, requestId);
    const person = await getPerson(request, context.services.config);
    addProvenEmail(person, proof.contactEmail);
    return redirect(`/vorgang/${proof.reference}?bestaetigt=1`, {
      headers: { "Set-Cookie": await commitPerson(person, context.services.config) },
    });
  }
  if (proof.reason === "already-proven") return redirect("/vorgang");
  const errors: Record<typeof proof.reason, string> = {
    wrong: "codeWrong",
    expired: "codeExpired",
    locked: "codeLocked",
    missing: "codeExpired",
    unknown: "badForm",
  };
  return data<Outcome>(
    { error: errors[proof.reason], field: "code" },
    { status: proof.reason === "unknown" ? 404 : 400 },
  );
}

export default function ConfirmEmail({ loaderData }: Route.ComponentProps) {
  const m = useMessages().journey.confirm;
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const errorText = useErrorText();
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
  const message = errorText(outcome?.error);
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
      <ErrorSummary errors={message ? [{ name: outcome?.field ?? "", message }] : []} />
      <Form method="post" action={action}>
        <Honeypot />
        <TextField
          name="code"
          label={m.code}
          hint={m.codeHint}
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          error={outcome?.field === "code" ? message : undefined}
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
