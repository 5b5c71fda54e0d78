import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { gatherOnReceipt } from "#app/server/gather/gather.server";
import { clientKeyOf, sendQueuedMail } from "#app/server/http/context.server";
import { formText, isUuid, readForm } from "#app/server/http/form.server";
import { addProvenEmail, commitPerson, getPerson } from "#app/server/requests/person-session.server";
import { proveRequest, resendProofCode } from "#app/server/requests/prove.server";
import { codeSchema } from "#app/server/requests/request-form";

/**
 * The proof page's action (bestaetigen.tsx): the code from the e-mail, or a new code. One function
 * per intent; error keys are `journey.errors`'.
 */

export type Outcome = { error?: string; field?: "code"; resent?: boolean };

const proofIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("confirm"), code: z.string().optional() }),
  z.object({ intent: z.literal("resend") }),
]);
type ProofIntent = z.infer<typeof proofIntentSchema>;

/** Enter in the code field posts without the button's intent: anything but a resend is the proof. */
function parseProofIntent(form: FormData): ProofIntent {
  return proofIntentSchema.parse(
    formText(form, "intent") === "resend"
      ? { intent: "resend" }
      : { intent: "confirm", code: formText(form, "code") },
  );
}

interface Env {
  request: Request;
  context: AppLoadContext;
  requestId: string;
}

async function resend({ context, requestId }: Env) {
  const resent = await resendProofCode(context.services, {
    requestId,
    clientKey: clientKeyOf(context),
  });
  if (!resent.ok)
    return data<Outcome>(
      { error: resent.reason === "rate-limited" ? "rateLimited" : "badForm" },
      { status: resent.reason === "rate-limited" ? 429 : 404 },
    );
  await sendQueuedMail(context, resent.outboxIds);
  return { resent: true } satisfies Outcome;
}

const proofErrors = {
  wrong: "codeWrong",
  expired: "codeExpired",
  locked: "codeLocked",
  missing: "codeExpired",
  unknown: "badForm",
} as const;

async function confirm(
  { request, context, requestId }: Env,
  intent: Extract<ProofIntent, { intent: "confirm" }>,
) {
  const code = codeSchema.safeParse(intent.code ?? "");
  if (!code.success) return data<Outcome>({ error: "code", field: "code" }, { status: 400 });
  const proof = await proveRequest(context.services, { requestId, code: code.data });
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
  return data<Outcome>(
    { error: proofErrors[proof.reason], field: "code" },
    { status: proof.reason === "unknown" ? 404 : 400 },
  );
}

/** The request id travels in the URL (and in the mail's link), so the proof works on any device. */
export async function proofAction({ request, context }: { request: Request; context: AppLoadContext }) {
  const requestId = new URL(request.url).searchParams.get("antrag");
  const form = await readForm(request);
  if (!form || formText(form, "website")) return data<Outcome>({ error: "badForm" }, { status: 400 });
  if (!isUuid(requestId)) return data<Outcome>({ error: "badForm" }, { status: 404 });
  const intent = parseProofIntent(form);
  const env = { request, context, requestId };
  return intent.intent === "resend" ? resend(env) : confirm(env, intent);
}
