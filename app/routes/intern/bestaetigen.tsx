import { Form, data, redirect, useActionData } from "react-router";
import type { Route } from "./+types/bestaetigen";
import { useMessages } from "#app/i18n";
import { confirmFreshTotp, requireStaff } from "#app/server/auth/staff.server";
import { localPath } from "#app/server/local-path";
import { formText } from "#app/server/http/form.server";
import { staffAction } from "#app/server/http/staff-action.server";
import { ErrorSummary, TextField } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";

/** Asked before sensitive actions (approving a release, deciding an objection). */
export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context);
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff, form } = await staffAction({ request, context });
  const code = form ? formText(form, "code")?.trim() : undefined;
  if (!code || code.length > 20 || !(await confirmFreshTotp(context, staff, code)))
    return data({ error: true }, { status: 401 });
  return redirect(localPath(new URL(request.url).searchParams.get("zurueck"), "/intern"));
}

export default function FreshCode() {
  const messages = useMessages().staff;
  const result = useActionData<typeof action>();
  return (
    <article>
      <PageTitle title={messages.fresh.title} />
      <h1>{messages.fresh.title}</h1>
      <p>{messages.fresh.intro}</p>
      <ErrorSummary errors={result ? [{ name: "code", message: messages.code.invalid }] : []} />
      <Form method="post">
        <TextField
          name="code"
          label={messages.code.label}
          hint={messages.code.hint}
          autoComplete="one-time-code"
          required
          maxLength={20}
        />
        <button className="button" type="submit">
          {messages.fresh.submit}
        </button>
      </Form>
    </article>
  );
}
