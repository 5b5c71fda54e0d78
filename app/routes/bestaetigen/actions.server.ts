import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { gatherOnReceipt } from "#app/server/gather/gather.server";
import { clientKeyOf, sendQueuedMail } from "#app/server/http/context.server";
import { formText, isUuid, pickFormFields, readForm } from "#app/server/http/form.server";
import { addProvenEmail, commitPerson, getPerson } from "#app/server/requests/person-session.server";
import { proveRequest, resendProofCode } from "#app/server/requests/prove.server";
import { proofFormFields, proofFormSchema } from "./proof-form";

/**
 * The proof page's action (bestaetigen.tsx): the code from the e-mail, or a new code. One function
 * per intent; error keys are `journey.errors`'. A refusal comes back as conform's result for the code
 * form (`result`): at the code field, or the form's own (""); the code typed is never sent back.
 */

export type Outcome = { result?: SubmissionResult<string[]>; resent?: boolean };

const proofIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("confirm") }),
  z.object({ intent: z.literal("resend") }),
]);
type ProofIntent = z.infer<typeof proofIntentSchema>;

/** Enter in the code field posts without the button's intent: anything but a resend is the proof. */
function parseProofIntent(form: FormData): ProofIntent {
  return proofIntentSchema.parse({ intent: formText(form, "intent") === "resend" ? "resend" : "confirm" });
}

/** A refusal of the form as a whole, shown above it. */
function formRefusal(key: string, status: number) {
  return data<Outcome>({ result: { status: "error", error: { "": [key] } } }, { status });
}

interface Env {
  request: Request;
  context: AppLoadContext;
  requestId: string;
  form: FormData;
}

async function resend({ context, requestId }: Env) {
  const resent = await resendProofCode(context.services, {
    requestId,
    clientKey: clientKeyOf(context),
  });
  if (!resent.ok)
    return resent.reason === "rate-limited" ? formRefusal("rateLimited", 429) : formRefusal("badForm", 404);
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

async function confirm({ request, context, requestId, form }: Env) {
  const fields = pickFormFields(form, (name) => proofFormFields.includes(name)) ?? new FormData();
  const submission = parseWithZod(fields, { schema: proofFormSchema });
  if (submission.status !== "success")
    return data<Outcome>({ result: submission.reply({ hideFields: ["code"] }) }, { status: 400 });
  const proof = await proveRequest(context.services, { requestId, code: submission.value.code });
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
  if (proof.reason === "unknown") return formRefusal("badForm", 404);
  return data<Outcome>(
    {
      result: submission.reply({ fieldErrors: { code: [proofErrors[proof.reason]] }, hideFields: ["code"] }),
    },
    { status: 400 },
  );
}

/** The request id travels in the URL (and in the mail's link), so the proof works on any device. */
export async function proofAction({ request, context }: { request: Request; context: AppLoadContext }) {
  const requestId = new URL(request.url).searchParams.get("antrag");
  const form = await readForm(request);
  // A filled honeypot is a robot's form.
  if (!form || formText(form, "website")) return formRefusal("badForm", 400);
  if (!isUuid(requestId)) return formRefusal("badForm", 404);
  const env = { request, context, requestId, form };
  return parseProofIntent(form).intent === "resend" ? resend(env) : confirm(env);
}
