import { data, redirect, useActionData } from "react-router";
import type { Route } from "./+types/bestaetigen";
import { useMessages } from "#app/i18n";
import { confirmFreshTotp, requireStaff } from "#app/server/auth/staff.server";
import { localPath } from "#app/server/local-path";
import { staffAction } from "#app/server/http/staff-action.server";
import { PageTitle } from "#app/ui/page-title";
import { CodeForm } from "./anmelden/code-form";
import { readCodeForm } from "./anmelden/code.server";

/** Asked before sensitive actions (approving a release, deciding an objection). */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context);
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff, form } = await staffAction({ request, context });
  const read = readCodeForm(form);
  if (!read.ok) return data({ result: read.result }, { status: 401 });
  if (!(await confirmFreshTotp(context, staff, read.code)))
    return data({ result: read.refuse("invalid") }, { status: 401 });
  return redirect(localPath(new URL(request.url).searchParams.get("zurueck"), "/intern"));
}

export default function FreshCode() {
  const messages = useMessages().staff;
  const outcome = useActionData<typeof action>();
  return (
    <article>
      <PageTitle title={messages.fresh.title} />
      <h1>{messages.fresh.title}</h1>
      <p>{messages.fresh.intro}</p>
      <CodeForm
        lastResult={outcome?.result}
        refusal={messages.code.invalid}
        hint={messages.code.hint}
        submit={messages.fresh.submit}
      />
    </article>
  );
}
