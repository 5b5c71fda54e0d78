import { getFormProps, useForm } from "@conform-to/react";
import { Form, data, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/beschwerde";
import { supervisoryAuthority } from "#app/core/processing-activities";
import { useLang, useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { takenInPage } from "#app/server/complaints/taken-in-page.server";
import { isUuid } from "#app/server/http/form.server";
import { ChoiceField, ErrorSummary, useErrorText, TextAreaField } from "#app/ui/form/fields";
import { PageTitle } from "#app/ui/page-title";
import { forwardAction } from "./beschwerde/action.server";

/**
 * A complaint (Art. 77) taken in from a letter: staff confirm its forwarding to the TLfDI, which then
 * answers the person, not we (ADR 0015). Any complaint of the case is listed with its sending; one
 * the outbox gave up on can be sent again. Posted without JavaScript; a refusal keeps what was typed.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const page = await takenInPage(context.services.database.db, params.id);
  if (!page) throw data(null, { status: 404 });
  return { ...page, me: staffPageMember(staff) };
}

export function action(args: Route.ActionArgs) {
  return forwardAction(args);
}

export default function TakenInComplaint() {
  const m = useMessages();
  const t = m.complaints.takenIn;
  const c = m.complaints.page;
  const lang = useLang();
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm<{ text: string; attachCaseFile: string }>({
    lastResult: actionData?.result,
  });
  const errorText = useErrorText();
  const authority = supervisoryAuthority.name[lang];
  const mayForward = page.me.permissions.includes("finding:propose");
  const resendError = actionData && "resendError" in actionData ? [actionData.resendError] : [];
  const summary = [
    ...[...resendError, ...(form.errors ?? [])].map((key) => ({
      name: "",
      message: t.errors[key] ?? m.staff.case.errors.invalid,
    })),
    ...[fields.text, fields.attachCaseFile].flatMap((field) =>
      field.errors?.[0] ? [{ name: field.name, message: errorText(field.errors[0])! }] : [],
    ),
  ];
  return (
    <article>
      <PageTitle title={t.title(page.reference)} />
      <p>
        <a href={`/intern/vorgaenge/${page.requestId}`}>{t.back}</a>
      </p>
      <h1>{t.title(page.reference)}</h1>
      <ErrorSummary errors={summary} />
      {page.forwarded.length > 0 ? (
        <>
          {/* Forwarded only once a mail server accepted the mail (ADR 0015); refused for good, it is staff's again. */}
          {page.caseForwarded ? (
            <p className="success" role="status">
              {t.forwarded(authority)}
            </p>
          ) : page.forwarded.some((complaint) => complaint.state === "failed") ? (
            <p className="error-summary" role="alert">
              {t.failedForGood(authority)}
            </p>
          ) : (
            <p role="status">{t.sending(authority)}</p>
          )}
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
                        ? t.deliveryFailed(complaint.lastError ?? "")
                        : c.queued}
                    {complaint.state === "failed" && mayForward ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="resend" />
                        <input type="hidden" name="complaintId" value={complaint.id} />
                        <button type="submit" className="button">
                          {t.resend}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                  <td>{complaint.attachCaseFile ? c.caseFileAttached : c.caseFileNotAttached}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {page.complaint.state === "not-applicable" ? (
        page.forwarded.length === 0 ? (
          <p>{t.notApplicable}</p>
        ) : null
      ) : page.complaint.state === "open" ? (
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
            <Form method="post" {...getFormProps(form)}>
              <TextAreaField
                name="text"
                label={t.text}
                hint={t.textHint}
                required
                error={errorText(fields.text.errors?.[0])}
                defaultValue={fields.text.initialValue ?? page.complaint.note}
              />
              <ChoiceField
                name="attachCaseFile"
                legend={t.caseFileLegend}
                hint={t.caseFileHint}
                required
                error={errorText(fields.attachCaseFile.errors?.[0])}
                defaultValue={fields.attachCaseFile.initialValue}
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
      ) : null}
    </article>
  );
}
