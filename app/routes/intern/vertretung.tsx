import { data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/vertretung";
import { useMessages } from "#app/i18n";
import { requireStaff } from "#app/server/auth/staff.server";
import { isUuid } from "#app/server/http/form.server";
import { staffCaseAction } from "#app/server/http/staff-action.server";
import { recordAuthorityCheck } from "#app/server/requests/representation.server";
import { PageTitle } from "#app/ui/page-title";
import { authorityCheckFormSchema } from "./vorgang/representation-check-form";

/**
 * The staff's record of a representative's authority (ADR 0011), posted from the case page. Success
 * leads back to the case; a refusal is shown here with the way back, so it works without JavaScript.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  return { requestId: params.id };
}

export async function action(args: Route.ActionArgs) {
  const { staff, form, requestId, refuse } = await staffCaseAction(args, "case:read", "finding:propose");
  const parsed =
    form &&
    authorityCheckFormSchema.safeParse({
      documentKind: form.get("documentKind"),
      result: form.get("result"),
      deleteCopy: form.getAll("deleteCopy"),
    });
  if (!parsed?.success) return data({ error: "invalid" }, { status: 400 });
  const outcome = await recordAuthorityCheck(args.context.services, {
    staffId: staff.id,
    requestId,
    ...parsed.data,
    deleteCopyIds: parsed.data.deleteCopy,
  });
  if (!outcome.ok) {
    await refuse(requestId, outcome.reason);
    return data({ error: outcome.reason }, { status: outcome.reason === "not-represented" ? 404 : 409 });
  }
  return redirect(`/intern/vorgaenge/${requestId}`);
}

export default function RepresentationCheckOutcome() {
  const m = useMessages();
  const { requestId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = result && "error" in result ? result.error : null;
  return (
    <>
      <PageTitle title={m.representation.check.heading} />
      <h1>{m.representation.check.heading}</h1>
      {error ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{m.representation.errors[error] ?? m.staff.case.errors.invalid}</p>
        </div>
      ) : null}
      <p>
        <a href={`/intern/vorgaenge/${requestId}`}>{m.representation.check.backToCase}</a>
      </p>
    </>
  );
}
