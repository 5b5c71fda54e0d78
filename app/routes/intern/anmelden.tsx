import { Form, data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/anmelden";
import { useMessages } from "#app/i18n";
import { signInWithPassword } from "#app/server/auth/staff.server";
import { localPath } from "#app/server/local-path";
import { formText, readForm } from "#app/server/http/form.server";
import { ErrorSummary, Field, TextField } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";

export function loader({ request }: Route.LoaderArgs) {
  return { back: localPath(new URL(request.url).searchParams.get("zurueck"), "/intern") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const userName = form ? formText(form, "userName")?.trim() : undefined;
  const password = form ? formText(form, "password") : undefined;
  if (!userName || !password || userName.length > 200 || password.length > 1000)
    return data({ error: "missing" as const }, { status: 400 });
  const result = await signInWithPassword(context, { userName, password, clientIp: context.clientIp });
  if (!result.ok)
    return data({ error: result.reason }, { status: result.reason === "rate-limited" ? 429 : 401 });
  const back = localPath(new URL(request.url).searchParams.get("zurueck"), "/intern");
  const next = result.next === "totp" ? "/intern/anmelden/code" : "/intern/einrichten";
  return redirect(`${next}?zurueck=${encodeURIComponent(back)}`, {
    headers: { "Set-Cookie": result.setCookie },
  });
}

export default function SignIn() {
  const m = useMessages().staff.signIn;
  const { back } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = !result
    ? undefined
    : result.error === "rate-limited"
      ? m.tooMany
      : result.error === "missing"
        ? m.missing
        : m.invalid;
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <ErrorSummary errors={error ? [{ name: "userName", message: error }] : []} />
      <Form method="post" action={`/intern/anmelden?zurueck=${encodeURIComponent(back)}`}>
        <TextField name="userName" label={m.userName} autoComplete="username" required maxLength={200} />
        <Field name="password" label={m.password} required>
          {(control) => (
            <input {...control} type="password" autoComplete="current-password" maxLength={1000} />
          )}
        </Field>
        <button className="button" type="submit">
          {m.submit}
        </button>
      </Form>
    </article>
  );
}
