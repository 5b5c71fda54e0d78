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
 * answers the person, not we (ADR 0015). Posted without JavaScript; a refusal keeps what was typed.
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
  const [form, fields] = useForm<{ text: string; attachCaseFile: string }>({
    lastResult: useActionData<typeof action>()?.result,
  });
  const errorText = useErrorText();
  const authority = supervisoryAuthority.name[lang];
  const mayForward = page.me.permissions.includes("finding:propose");
  const summary = [
    ...(form.errors ?? []).map((key) => ({
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
      )}
    </article>
  );
}
