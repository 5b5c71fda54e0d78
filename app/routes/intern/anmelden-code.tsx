import { Form, data, redirect, useActionData } from "react-router";
import type { Route } from "./+types/anmelden-code";
import { useMessages } from "#app/i18n";
import { completeSignIn, pendingSignIn } from "#app/server/auth/staff.server";
import { localPath } from "#app/server/local-path";
import { formText, readForm } from "#app/server/http/form.server";
import { ErrorSummary, TextField } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";

export async function loader({ request, context }: Route.LoaderArgs) {
  if (!(await pendingSignIn(request, context))) throw redirect("/intern/anmelden");
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm(request);
  const code = form ? formText(form, "code")?.trim() : undefined;
  if (!code || code.length > 20) return data({ error: "invalid" as const }, { status: 400 });
  const result = await completeSignIn(request, context, code);
  if (!result.ok) return data({ error: result.reason }, { status: 401 });
  return redirect(localPath(new URL(request.url).searchParams.get("zurueck"), "/intern"));
}

export default function SignInCode() {
  const m = useMessages().staff.code;
  const result = useActionData<typeof action>();
  const error = result ? (result.error === "expired" ? m.expired : m.invalid) : undefined;
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <ErrorSummary errors={error ? [{ name: "code", message: error }] : []} />
      {result?.error === "expired" ? (
        <p>
          <a href="/intern/anmelden">{m.restart}</a>
        </p>
      ) : (
        <Form method="post">
          <TextField
            name="code"
            label={m.label}
            hint={m.hint}
            autoComplete="one-time-code"
            inputMode="text"
            required
            maxLength={20}
          />
          <button className="button" type="submit">
            {m.submit}
          </button>
        </Form>
      )}
    </article>
  );
}
