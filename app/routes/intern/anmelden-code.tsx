import { data, redirect, useActionData } from "react-router";
import type { Route } from "./+types/anmelden-code";
import { useMessages } from "#app/i18n";
import { completeSignIn, pendingSignIn } from "#app/server/auth/staff.server";
import { localPath } from "#app/server/local-path";
import { readForm } from "#app/server/http/form.server";
import { ErrorSummary } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";
import { CodeForm } from "./anmelden/code-form";
import { readCodeForm } from "./anmelden/code.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  if (!(await pendingSignIn(request, context))) throw redirect("/intern/anmelden");
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const read = readCodeForm(await readForm(request));
  if (!read.ok) return data({ result: read.result, expired: false }, { status: 400 });
  const result = await completeSignIn(request, context, read.code);
  if (!result.ok)
    return data(
      { result: read.refuse(result.reason), expired: result.reason === "expired" },
      { status: 401 },
    );
  return redirect(localPath(new URL(request.url).searchParams.get("zurueck"), "/intern"));
}

export default function SignInCode() {
  const m = useMessages().staff.code;
  const outcome = useActionData<typeof action>();
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {outcome?.expired ? (
        <>
          <ErrorSummary errors={[{ name: "", message: m.expired }]} />
          <p>
            <a href="/intern/anmelden">{m.restart}</a>
          </p>
        </>
      ) : (
        <CodeForm
          lastResult={outcome?.result}
          refusal={m.invalid}
          hint={m.hint}
          inputMode="text"
          submit={m.submit}
        />
      )}
    </article>
  );
}
