import { Form, Link, data, redirect, useActionData, useSearchParams } from "react-router";
import type { Route } from "./+types/vorgang-beschwerde";
import { supervisoryAuthority } from "../core/processing-activities";
import { type Lang, messagesFor, useLang, useMessages } from "../i18n";
import { getLang } from "../i18n/lang.server";
import { type ComplaintFormError, readComplaintForm } from "../server/complaints/complaint-form.server";
import {
  MAX_COMPLAINT_FILES,
  MAX_COMPLAINT_FILES_BYTES,
  MAX_COMPLAINT_TEXT,
} from "../server/complaints/complaint-limits";
import { complaintsOfCase } from "../server/complaints/delivery.server";
import { fileComplaint } from "../server/complaints/forward.server";
import { formText, readForm } from "../server/http/form.server";
import { sendQueuedMail } from "../server/http/context.server";
import { ownedCase } from "../server/http/owned-case.server";
import { ChoiceField, ErrorSummary, Honeypot, fieldId, TextAreaField } from "../ui/form/fields";
import { PageTitle } from "../ui/page-title";

const MEGABYTES = Math.floor(MAX_COMPLAINT_FILES_BYTES / (1024 * 1024));

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { view } = await ownedCase(request, context.services, params.referenz);
  return {
    reference: view.reference,
    complaints: await complaintsOfCase(context.services.database.db, view.id),
  };
}

type FieldName = ComplaintFormError["field"] | "";
type Outcome = {
  errors: { field: FieldName; message: string }[];
  values?: { text: string; attachCaseFile: string | null };
};

function messageOf(
  error: ComplaintFormError | { problem: "rateLimited" | "badForm" | "documentUnreadable" },
  lang: Lang,
): string {
  const e = messagesFor(lang).complaints.errors;
  switch (error.problem) {
    case "textTooLong":
      return e.textTooLong(MAX_COMPLAINT_TEXT);
    case "fileTooLarge":
      return e.fileTooLarge(MEGABYTES);
    case "tooManyFiles":
      return e.tooManyFiles(MAX_COMPLAINT_FILES);
    default:
      return e[error.problem];
  }
}

/** 413 and 415 where the files are the only problem, so clients and proxies read the cause. */
function statusOf(errors: ComplaintFormError[]): number {
  if (errors.every((e) => e.field === "files")) {
    if (errors.some((e) => e.problem === "fileTooLarge")) return 413;
    if (errors.some((e) => e.problem === "fileType")) return 415;
  }
  return 400;
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { view } = await ownedCase(request, context.services, params.referenz);
  const lang = await getLang(request);
  const form = await readForm(request);
  if (!form || formText(form, "website"))
    return data<Outcome>(
      { errors: [{ field: "", message: messageOf({ problem: "badForm" }, lang) }] },
      { status: 400 },
    );
  const parsed = await readComplaintForm(form);
  const values = {
    text: formText(form, "text") ?? "",
    attachCaseFile: formText(form, "attachCaseFile") ?? null,
  };
  if (!parsed.ok) {
    return data<Outcome>(
      {
        errors: parsed.errors.map((error) => ({ field: error.field, message: messageOf(error, lang) })),
        values,
      },
      { status: statusOf(parsed.errors) },
    );
  }
  const result = await fileComplaint(context.services, { requestId: view.id, ...parsed.value });
  if (!result.ok) {
    if (result.reason === "unknown-case") throw data(null, { status: 404 });
    if (result.reason === "document-unreadable")
      return data<Outcome>(
        { errors: [{ field: "", message: messageOf({ problem: "documentUnreadable" }, lang) }], values },
        { status: 503 },
      );
    return data<Outcome>(
      { errors: [{ field: "", message: messageOf({ problem: "rateLimited" }, lang) }], values },
      { status: 429 },
    );
  }
  await sendQueuedMail(context, result.outboxIds);
  return redirect(`/vorgang/${view.reference}/beschwerde?gesendet=1`);
}

export default function ComplaintPage({ loaderData }: Route.ComponentProps) {
  const messages = useMessages();
  const c = messages.complaints;
  const j = messages.journey;
  const lang = useLang();
  const [search] = useSearchParams();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const { reference, complaints } = loaderData;
  const errorFor = (field: FieldName) => outcome?.errors.find((e) => e.field === field)?.message;
  const a = supervisoryAuthority;
  const title = c.page.title(reference);
  const filesError = errorFor("files");

  return (
    <>
      <PageTitle title={title} />
      <h1>{title}</h1>
      {search.has("gesendet") ? (
        <p className="success" role="status">
          {c.page.sent}
        </p>
      ) : null}
      <p>{c.page.intro(a.name[lang])}</p>
      <address className="complaint-authority">
        {a.name[lang]}
        <br />
        {a.address.street}, {a.address.postalCode} {a.address.city}
        <br />
        {a.email}
        {a.web ? (
          <>
            <br />
            {a.web}
          </>
        ) : null}
      </address>

      <h2>{c.page.earlier}</h2>
      {complaints.length === 0 ? (
        <p>{c.page.none}</p>
      ) : (
        <>
          <h3>{c.page.nextTitle}</h3>
          <p data-testid="complaint-next">{c.page.next(a.name[lang])}</p>
          <ul className="complaint-list">
            {complaints.map((complaint) => (
              <li key={complaint.id} className="card" data-testid="complaint">
                <dl className="facts">
                  <dt>{c.page.filedAt}</dt>
                  <dd>{j.formatDateTime(complaint.createdAt)}</dd>
                  <dt>{c.page.state}</dt>
                  <dd>
                    {complaint.state === "sent" && complaint.sentAt
                      ? c.page.sentAt(j.formatDateTime(complaint.sentAt))
                      : complaint.state === "failed"
                        ? c.page.failed
                        : c.page.queued}
                  </dd>
                  <dt>{c.page.caseFile}</dt>
                  <dd>{complaint.attachCaseFile ? c.page.caseFileAttached : c.page.caseFileNotAttached}</dd>
                </dl>
                <p className="message-body">{complaint.text}</p>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>{c.title}</h2>
      <ErrorSummary errors={(outcome?.errors ?? []).map((e) => ({ name: e.field, message: e.message }))} />
      <Form method="post" encType="multipart/form-data">
        <Honeypot />
        <TextAreaField
          name="text"
          label={c.page.text}
          hint={c.page.textHint}
          required
          maxLength={MAX_COMPLAINT_TEXT}
          error={errorFor("text")}
          defaultValue={outcome?.values?.text}
        />
        <div className={filesError ? "field field--invalid" : "field"}>
          <label htmlFor={fieldId("files")}>{c.page.files}</label>
          <span className="hint" id={`${fieldId("files")}-hint`}>
            {c.page.filesHint(MAX_COMPLAINT_FILES, MEGABYTES)}
          </span>
          {filesError ? (
            <p className="field-error" id={`${fieldId("files")}-error`}>
              {filesError}
            </p>
          ) : null}
          <input
            type="file"
            id={fieldId("files")}
            name="files"
            multiple
            accept="application/pdf,image/png,image/jpeg"
            aria-describedby={
              filesError ? `${fieldId("files")}-hint ${fieldId("files")}-error` : `${fieldId("files")}-hint`
            }
            aria-invalid={filesError ? true : undefined}
          />
        </div>
        <ChoiceField
          name="attachCaseFile"
          legend={c.page.caseFileLegend}
          hint={c.page.caseFileHint}
          required
          error={errorFor("attachCaseFile")}
          defaultValue={outcome?.values?.attachCaseFile ?? undefined}
          options={[
            { value: "yes", label: c.page.caseFileYes },
            { value: "no", label: c.page.caseFileNo },
          ]}
        />
        <button type="submit" className="button">
          {c.page.submit}
        </button>
      </Form>

      <p>
        <Link to={`/vorgang/${reference}`}>{c.page.back}</Link>
      </p>
    </>
  );
}
