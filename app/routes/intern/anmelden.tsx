import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Form, data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/anmelden";
import { useMessages } from "#app/i18n";
import { signInWithPassword } from "#app/server/auth/staff.server";
import { localPath } from "#app/server/local-path";
import { readForm } from "#app/server/http/form.server";
import { ErrorSummary, Field, TextField } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";
import { readPasswordForm } from "./anmelden/password.server";
import { MAX_PASSWORD, MAX_USER_NAME, passwordSignInSchema } from "./anmelden/sign-in-forms";

export function loader({ request }: Route.LoaderArgs) {
  return { back: localPath(new URL(request.url).searchParams.get("zurueck"), "/intern") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const read = readPasswordForm(await readForm(request));
  if (!read.ok) return data({ result: read.result }, { status: 400 });
  const { userName, password } = read;
  const result = await signInWithPassword(context, { userName, password, clientIp: context.clientIp });
  if (!result.ok)
    return data(
      { result: read.refuse(result.reason) },
      { status: result.reason === "rate-limited" ? 429 : 401 },
    );
  const back = localPath(new URL(request.url).searchParams.get("zurueck"), "/intern");
  const next = result.next === "totp" ? "/intern/anmelden/code" : "/intern/einrichten";
  return redirect(`${next}?zurueck=${encodeURIComponent(back)}`, {
    headers: { "Set-Cookie": result.setCookie },
  });
}

export default function SignIn() {
  const m = useMessages().staff.signIn;
  const { back } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  // Checked in the browser as the member leaves a field; whether name and password match only the server knows.
  const [form, field] = useForm({
    id: "sign-in",
    lastResult: outcome?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(passwordSignInSchema),
  });
  const messages: Record<string, string> = {
    userNameRequired: m.userNameRequired,
    passwordRequired: m.passwordRequired,
    tooMany: m.tooMany,
  };
  // Anything else (a name or password longer than any, wrong credentials) is "wrong".
  const text = (key: string | undefined) => (key === undefined ? undefined : (messages[key] ?? m.invalid));
  const error = (name: "userName" | "password") => text(field[name].errors?.[0]);
  const summary = Object.entries(form.allErrors)
    .filter(([, list]) => list && list.length > 0)
    .map(([name, list]) => ({ name, message: text(list[0])! }));
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <ErrorSummary errors={summary} />
      <Form
        method="post"
        action={`/intern/anmelden?zurueck=${encodeURIComponent(back)}`}
        {...getFormProps(form)}
      >
        <TextField
          name="userName"
          label={m.userName}
          autoComplete="username"
          required
          maxLength={MAX_USER_NAME}
          defaultValue={field.userName.initialValue}
          error={error("userName")}
        />
        <Field name="password" label={m.password} required error={error("password")}>
          {(control) => (
            <input {...control} type="password" autoComplete="current-password" maxLength={MAX_PASSWORD} />
          )}
        </Field>
        <button className="button" type="submit">
          {m.submit}
        </button>
      </Form>
    </article>
  );
}
