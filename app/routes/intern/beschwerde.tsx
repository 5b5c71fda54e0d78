import { Form, data, redirect, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/beschwerde";
import { supervisoryAuthority } from "#app/core/processing-activities";
import { useLang, useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { forwardTakenInComplaint } from "#app/server/complaints/forward.server";
import { takenInForwardSchema, takenInPage } from "#app/server/complaints/taken-in-page.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import { isUuid } from "#app/server/http/form.server";
import { staffAction } from "#app/server/http/staff-action.server";
import { ChoiceField, ErrorSummary, useErrorText, TextAreaField } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";

/**
 * A complaint (Art. 77) taken in from a letter: staff confirm its forwarding to the TLfDI, which then
 * answers the person, not we (ADR 0015). Posted without JavaScript; a refusal keeps what was typed.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const page = await takenInPage(context.services.database.db, params.id);
  if (!page) throw data(null, { status: 404 });
  return { ...page, me: staffPageMember(staff) };
}

type Outcome = { errors: Record<string, string>; values: { text: string; attachCaseFile: string } };

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff, form, refuse } = await staffAction({ request, context }, "finding:propose");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const values = {
    text: String(form?.get("text") ?? ""),
    attachCaseFile: String(form?.get("attachCaseFile") ?? ""),
  };
  const parsed = takenInForwardSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "")] ??= issue.message;
    return data<Outcome>({ errors, values }, { status: 400 });
  }
  const result = await forwardTakenInComplaint(context.services, staff, params.id, {
    text: parsed.data.text,
    attachCaseFile: parsed.data.attachCaseFile === "yes",
  });
  if (!result.ok) {
    await refuse(params.id, result.reason);
    return data<Outcome>(
      { errors: { "": result.reason }, values },
      {
        status: result.reason === "not-permitted" ? 403 : result.reason === "document-unreadable" ? 503 : 409,
      },
    );
  }
  await sendQueuedMail(context, result.outboxIds);
  // Post/redirect/get: the page now says that the complaint is forwarded and who answers.
  return redirect(`/intern/vorgaenge/${params.id}/beschwerde`);
}

export default function TakenInComplaint() {
  const m = useMessages();
  const t = m.complaints.takenIn;
  const c = m.complaints.page;
  const lang = useLang();
  const page = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const errorText = useErrorText();
  const errors = outcome?.errors ?? {};
  const authority = supervisoryAuthority.name[lang];
  const mayForward = page.me.permissions.includes("finding:propose");
  const summary = Object.entries(errors).map(([name, key]) => ({
    name,
    message: name === "" ? (t.errors[key] ?? m.staff.case.errors.invalid) : errorText(key)!,
  }));
  return (
    <article>
      <PageTitle title={t.title(page.reference)} />
      <p>
        <a href={`/intern/vorgaenge/${page.requestId}`}>{t.back}</a>
      </p>
      <h1>{t.title(page.reference)}</h1>
      <ErrorSummary errors={summary} />
      {page.complaint.state === "forwarded" ? (
        <>
          <p className="success" role="status">
            {t.forwarded(authority)}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{c.filedAt}</th>
                <th scope="col">{t.delivery}</th>
                <th scope="col">{c.caseFile}</th>
              </tr>
            </thead>
            <tbody>
              {page.forwarded.map((complaint) => (
                <tr key={complaint.id}>
                  <td>{m.journey.formatDateTime(complaint.createdAt)}</td>
                  <td>
                    {complaint.state === "sent" && complaint.sentAt
                      ? c.sentAt(m.journey.formatDateTime(complaint.sentAt))
                      : complaint.state === "failed"
                        ? t.deliveryFailed
                        : c.queued}
                  </td>
                  <td>{complaint.attachCaseFile ? c.caseFileAttached : c.caseFileNotAttached}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : page.complaint.state === "not-applicable" ? (
        <p>{t.notApplicable}</p>
      ) : (
        <>
          <p>{t.intro(authority)}</p>
          <h2>{t.enclosures}</h2>
          {page.complaint.enclosures.length === 0 ? (
            <p>{t.noEnclosures}</p>
          ) : (
            <ul>
              {page.complaint.enclosures.map((e, index) => (
                <li key={index}>{e.fileName}</li>
              ))}
            </ul>
          )}
          {mayForward ? (
            <Form method="post">
              <TextAreaField
                name="text"
                label={t.text}
                hint={t.textHint}
                required
                error={errorText(errors.text)}
                defaultValue={outcome?.values.text ?? page.complaint.note}
              />
              <ChoiceField
                name="attachCaseFile"
                legend={t.caseFileLegend}
                hint={t.caseFileHint}
                required
                error={errorText(errors.attachCaseFile)}
                defaultValue={outcome?.values.attachCaseFile}
                options={[
                  { value: "yes", label: t.caseFileYes },
                  { value: "no", label: t.caseFileNo },
                ]}
              />
              <button type="submit" className="button">
                {t.submit}
              </button>
            </Form>
          ) : null}
        </>
      )}
    </article>
  );
}
