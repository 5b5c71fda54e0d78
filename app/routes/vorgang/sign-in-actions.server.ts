import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { getLang } from "#app/i18n/lang.server";
import { clientKeyOf, sendQueuedMail } from "#app/server/http/context.server";
import { formText, readForm } from "#app/server/http/form.server";
import {
  type Person,
  addProvenEmail,
  commitPerson,
  endPerson,
  getPerson,
} from "#app/server/requests/person-session.server";
import { codeSchema } from "#app/server/requests/request-form";
import { requestSignInCode, verifySignIn } from "#app/server/requests/signin.server";

/**
 * The case list's action (vorgang.tsx): signing in with a code sent to an e-mail address, another
 * address instead, and signing out. One function per intent; the content of a field is the intent's
 * own check, with its own message (keys of `journey.errors`).
 */

export type Outcome = { error?: string; field?: "email" | "code"; email?: string };

const optionalText = z.string().optional();
const signInIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sign-out") }),
  z.object({ intent: z.literal("other-address") }),
  z.object({ intent: z.literal("send-code"), email: optionalText }),
  z.object({ intent: z.literal("verify"), code: optionalText }),
]);
type SignInIntent = z.infer<typeof signInIntentSchema>;

function parseSignInIntent(form: FormData): SignInIntent | null {
  const parsed = signInIntentSchema.safeParse({
    intent: formText(form, "intent"),
    email: formText(form, "email"),
    code: formText(form, "code"),
  });
  return parsed.success ? parsed.data : null;
}

interface Env {
  request: Request;
  context: AppLoadContext;
  person: Person;
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

async function sendCode(env: Env, intent: Extract<SignInIntent, { intent: "send-code" }>) {
  const { request, context, person } = env;
  const email = (intent.email ?? "").slice(0, 300);
  const sent = await requestSignInCode(context.services, {
    email,
    lang: await getLang(request),
    clientKey: clientKeyOf(context),
  });
  if (!sent.ok) {
    return data<Outcome>(
      { error: sent.reason === "rate-limited" ? "rateLimited" : "email", field: "email", email },
      { status: sent.reason === "rate-limited" ? 429 : 400 },
    );
  }
  await sendQueuedMail(context, sent.outboxIds);
  person.session.set("pendingEmail", sent.email);
  return backToList(env);
}

async function verify(env: Env, intent: Extract<SignInIntent, { intent: "verify" }>) {
  const { context, person } = env;
  if (!person.pendingEmail) return data<Outcome>({ error: "codeExpired", field: "code" }, { status: 400 });
  const code = codeSchema.safeParse(intent.code ?? "");
  if (!code.success) return data<Outcome>({ error: "code", field: "code" }, { status: 400 });
  const check = await verifySignIn(context.services, {
    email: person.pendingEmail,
    code: code.data,
  });
  if (check !== "ok") {
    const key = check === "wrong" ? "codeWrong" : check === "locked" ? "codeLocked" : "codeExpired";
    return data<Outcome>({ error: key, field: "code" }, { status: 400 });
  }
  addProvenEmail(person, person.pendingEmail);
  return backToList(env);
}

export async function signInAction({ request, context }: { request: Request; context: AppLoadContext }) {
  const form = await readForm(request);
  // A filled honeypot is a robot's form.
  const intent = form && !formText(form, "website") ? parseSignInIntent(form) : null;
  if (!intent) return data<Outcome>({ error: "badForm" }, { status: 400 });
  const person = await getPerson(request, context.services.config);
  const env = { request, context, person };
  switch (intent.intent) {
    case "sign-out":
      return signOut(env);
    case "other-address":
      return otherAddress(env);
    case "send-code":
      return sendCode(env, intent);
    case "verify":
      return verify(env, intent);
  }
}
