import { getFormProps, useForm } from "@conform-to/react";
import { Form, Link, useActionData, useSearchParams } from "react-router";
import type { Route } from "./+types/vorgang-beschwerde";
import { supervisoryAuthority } from "../core/processing-activities";
import { type Messages, useLang, useMessages } from "../i18n";
import {
  MAX_COMPLAINT_FILES,
  MAX_COMPLAINT_FILES_BYTES,
  MAX_COMPLAINT_TEXT,
} from "../server/complaints/complaint-limits";
import { complaintFormSchema } from "../server/complaints/complaint-form";
import { checkInBrowser } from "../ui/form/browser-check";
import { ChoiceField, ErrorSummary, Field, Honeypot, TextAreaField } from "../ui/form/fields";
import { PageTitle } from "../ui/page-title";
import {
  type ComplaintFields,
  type ComplaintOutcome,
  complaintAction,
  complaintPage,
} from "./vorgang/complaint.server";

const MEGABYTES = Math.floor(MAX_COMPLAINT_FILES_BYTES / (1024 * 1024));
/** The form's fields; an error of any other name is the form's own (summary only). */
const fieldNames = new Set<string>(["text", "files", "attachCaseFile"] satisfies (keyof ComplaintFields)[]);

export function loader({ request, params, context }: Route.LoaderArgs) {
  return complaintPage(request, context, params.referenz);
}

export function action({ request, params, context }: Route.ActionArgs) {
  return complaintAction(request, context, params.referenz);
}

/** An error key of the form (`complaints.errors`) in the person's language, with the limits it names. */
function complaintError(e: Messages["complaints"]["errors"], key: string | undefined): string | undefined {
  switch (key) {
    case undefined:
      return undefined;
    case "textTooLong":
      return e.textTooLong(MAX_COMPLAINT_TEXT);
    case "fileTooLarge":
      return e.fileTooLarge(MEGABYTES);
    case "tooManyFiles":
      return e.tooManyFiles(MAX_COMPLAINT_FILES);
    case "textRequired":
    case "choiceRequired":
    case "fileType":
    case "rateLimited":
    case "documentUnreadable":
      return e[key];
    default:
      return e.badForm;
  }
}

export default function ComplaintPage({ loaderData }: Route.ComponentProps) {
  const messages = useMessages();
  const c = messages.complaints;
  const j = messages.journey;
  const lang = useLang();
  const [search] = useSearchParams();
  const outcome = useActionData() as ComplaintOutcome | undefined;
  // The text and the choice are checked in the browser with the server's schema as the person leaves
  // a field; the files, and everything again, only on the server. A refused form comes back with
  // what was typed; a refused file's error stays at its field until another file is chosen.
  const [form, fields] = useForm<ComplaintFields, Omit<ComplaintFields, "files">>({
    id: "complaint",
    lastResult: outcome?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(complaintFormSchema, ["files"]),
  });
  const { reference, complaints } = loaderData;
  const errorText = (key: string | undefined) => complaintError(c.errors, key);
  const a = supervisoryAuthority;
  const title = c.page.title(reference);
  const summary = Object.entries(form.allErrors).flatMap(([name, keys]) =>
    keys.length > 0 ? [{ name: fieldNames.has(name) ? name : "", message: errorText(keys[0])! }] : [],
  );

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
      <ErrorSummary errors={summary} />
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        <Honeypot />
        <TextAreaField
          name="text"
          label={c.page.text}
          hint={c.page.textHint}
          required
          maxLength={MAX_COMPLAINT_TEXT}
          error={errorText(fields.text.errors?.[0])}
          defaultValue={fields.text.initialValue}
        />
        <Field
          name="files"
          label={c.page.files}
          hint={c.page.filesHint(MAX_COMPLAINT_FILES, MEGABYTES)}
          error={errorText(fields.files.errors?.[0])}
        >
          {(control) => (
            <input {...control} type="file" multiple accept="application/pdf,image/png,image/jpeg" />
          )}
        </Field>
        <ChoiceField
          name="attachCaseFile"
          legend={c.page.caseFileLegend}
          hint={c.page.caseFileHint}
          required
          error={errorText(fields.attachCaseFile.errors?.[0])}
          defaultValue={fields.attachCaseFile.initialValue}
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
