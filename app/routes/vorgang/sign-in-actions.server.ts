import { parseWithZod } from "@conform-to/zod/v4";
import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { getLang } from "#app/i18n/lang.server";
import { clientKeyOf, sendQueuedMail } from "#app/server/http/context.server";
import { type SentBack, formText, pickFormFields, readForm } from "#app/server/http/form.server";
import {
  type Person,
  addProvenEmail,
  commitPerson,
  endPerson,
  getPerson,
} from "#app/server/requests/person-session.server";
import { requestSignInCode, verifySignIn } from "#app/server/requests/signin.server";
import { signInCodeSchema, signInEmailSchema } from "./forms";

/**
 * The case list's action (vorgang.tsx): signing in with a code sent to an e-mail address, another
 * address instead, and signing out. One function per intent; each form's fields are parsed with the
 * schema the page checks them with in the browser (forms.ts). A refusal goes back to its form and field
 * as conform's result (`sentBack`), with the address typed but never the code; a form the page did not
 * send is `error` (keys of `journey.errors`).
 */

export type Outcome = { error?: string; sentBack?: SentBack };

const signInIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sign-out") }),
  z.object({ intent: z.literal("other-address") }),
  z.object({ intent: z.literal("send-code") }),
  z.object({ intent: z.literal("verify") }),
]);
type SignInIntent = z.infer<typeof signInIntentSchema>;

function parseSignInIntent(form: FormData): SignInIntent | null {
  const parsed = signInIntentSchema.safeParse({ intent: formText(form, "intent") });
  return parsed.success ? parsed.data : null;
}

/** The form's own fields, parsed with its schema. */
function parseFields<Schema extends z.ZodObject>(form: FormData, schema: Schema) {
  const names = Object.keys(schema.shape);
  return parseWithZod(pickFormFields(form, (name) => names.includes(name)) ?? new FormData(), { schema });
}

interface Env {
  request: Request;
  context: AppLoadContext;
  person: Person;
  form: FormData;
}

/** Back to the list, with the session as the intent left it. */
async function backToList({ context, person }: Env) {
  return redirect("/vorgang", {
    headers: { "Set-Cookie": await commitPerson(person, context.services.config) },
  });
}

async function signOut({ context, person }: Env) {
  return redirect("/vorgang", {
    headers: { "Set-Cookie": await endPerson(person, context.services.config) },
  });
}

async function otherAddress(env: Env) {
  env.person.session.unset("pendingEmail");
  return backToList(env);
}

async function sendCode(env: Env) {
  const { request, context, person, form } = env;
  const submission = parseFields(form, signInEmailSchema);
  if (submission.status !== "success")
    return data<Outcome>({ sentBack: { intent: "send-code", result: submission.reply() } }, { status: 400 });
  const sent = await requestSignInCode(context.services, {
    email: submission.value.email,
    lang: await getLang(request),
    clientKey: clientKeyOf(context),
  });
  if (!sent.ok) {
    const key = sent.reason === "rate-limited" ? "rateLimited" : "email";
    return data<Outcome>(
      { sentBack: { intent: "send-code", result: submission.reply({ fieldErrors: { email: [key] } }) } },
      { status: sent.reason === "rate-limited" ? 429 : 400 },
    );
  }
  await sendQueuedMail(context, sent.outboxIds);
  person.session.set("pendingEmail", sent.email);
  return backToList(env);
}

/** The code is never sent back. */
function codeRefused(submission: { reply: ReturnType<typeof parseFields>["reply"] }, key?: string) {
  const result = submission.reply({
    hideFields: ["code"],
    ...(key ? { fieldErrors: { code: [key] } } : {}),
  });
  return data<Outcome>({ sentBack: { intent: "verify", result } }, { status: 400 });
}

async function verify(env: Env) {
  const { context, person, form } = env;
  const submission = parseFields(form, signInCodeSchema);
  if (!person.pendingEmail) return codeRefused(submission, "codeExpired");
  if (submission.status !== "success") return codeRefused(submission);
  const check = await verifySignIn(context.services, {
    email: person.pendingEmail,
    code: submission.value.code,
  });
  if (check !== "ok")
    return codeRefused(
      submission,
      check === "wrong" ? "codeWrong" : check === "locked" ? "codeLocked" : "codeExpired",
    );
  addProvenEmail(person, person.pendingEmail);
  return backToList(env);
}

export async function signInAction({ request, context }: { request: Request; context: AppLoadContext }) {
  const form = await readForm(request);
  // A filled honeypot is a robot's form.
  const intent = form && !formText(form, "website") ? parseSignInIntent(form) : null;
  if (!intent) return data<Outcome>({ error: "badForm" }, { status: 400 });
  const person = await getPerson(request, context.services.config);
  const env = { request, context, person, form: form! };
  switch (intent.intent) {
    case "sign-out":
      return signOut(env);
    case "other-address":
      return otherAddress(env);
    case "send-code":
      return sendCode(env);
    case "verify":
      return verify(env);
  }
}
