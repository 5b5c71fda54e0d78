import { Form, data, useActionData } from "react-router";
import type { Route } from "./+types/eingang";
import { berlinDayOf } from "../../core/berlin-date";
import { requestKinds } from "../../core/request-kinds";
import { useLang, useMessages } from "../../i18n";
import { requireStaff, staffPageMember } from "../../server/auth/staff.server";
import { journeyDeps } from "../../server/requests/deps.server";
import { MAX_DOCUMENT_BYTES, safeFileName, sniffDocumentType } from "../../server/requests/documents.server";
import { pickFormFields } from "../../server/http/form.server";
import { staffAction } from "../../server/http/staff-action.server";
import { sendQueuedMail } from "../../server/http/context.server";
import { intakeRequest, intakeSchema } from "../../server/requests/intake.server";
import { gatherDepsOf, gatherOnReceipt } from "../../server/gather/gather.server";
import { asErrorKey, intakeChannels, representativeFields } from "../../server/requests/request-form";
import { ErrorSummary, Honeypot, TextField, fieldId, useErrorText } from "../../ui/form/fields";
import { RepresentativeFields } from "../../ui/form/representative-fields";
import { PageTitle } from "../../ui/page-title";

const fields = new Set(["channel", "receivedOn", "kinds", "lang", "email", "name", "postalAddress", "phones", "birthDate", "note", ...Object.keys(representativeFields)]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "request:intake");
  return { today: berlinDayOf(new Date()), me: staffPageMember(staff) };
}

type Outcome = { errors?: Record<string, string>; reference?: string };

export async function action({ request, context }: Route.ActionArgs) {
  const { staff, form: body } = await staffAction({ request, context }, "request:intake");
  const form = body && pickFormFields(body, (name) => fields.has(name));
  if (!body || !form) return data<Outcome>({ errors: { "": "badForm" } }, { status: 400 });
  const parsed = intakeSchema.safeParse({ ...Object.fromEntries(form), kinds: form.getAll("kinds") });
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.join(".") || ""] ??= asErrorKey(issue.message);
  let scan = null;
  const file = body.get("scan");
  if (file instanceof File && file.size > 0) {
    const content = file.size <= MAX_DOCUMENT_BYTES ? Buffer.from(await file.arrayBuffer()) : null;
    const type = content && sniffDocumentType(content);
    if (!content) errors.scan = "fileTooLarge";
    else if (!type) errors.scan = "fileType";
    else scan = { fileName: safeFileName(file.name, type), contentType: type, content };
  }
  if (!parsed.success || Object.keys(errors).length > 0) return data<Outcome>({ errors }, { status: 400 });
  const created = await intakeRequest(journeyDeps(context.services), { staffId: staff.id, form: parsed.data, scan });
  await sendQueuedMail(context, created.outboxIds);
  await gatherOnReceipt(gatherDepsOf(context.services), created.requestId);
  return { reference: created.reference } satisfies Outcome;
}

export default function Intake({ loaderData }: Route.ComponentProps) {
  const j = useMessages().journey;
  const m = j.intake;
  const lang = useLang();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const errorText = useErrorText();
  const errors = outcome?.errors ?? {};
  const error = (name: string) => errorText(errors[name]);
  return (
    <>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {outcome?.reference ? (
        <p className="success" role="status">
          {m.created(outcome.reference)}
        </p>
      ) : null}
      <ErrorSummary errors={Object.entries(errors).map(([name, key]) => ({ name, message: errorText(key)! }))} />
      <Form method="post" encType="multipart/form-data">
        <Honeypot />
        <fieldset className={error("channel") ? "field field--invalid" : "field"} id={fieldId("channel")} tabIndex={-1}>
          <legend>{m.channel}</legend>
          {error("channel") ? <p className="field-error">{error("channel")}</p> : null}
          {intakeChannels.map((channel) => (
            <div className="choice" key={channel}>
              <input type="radio" id={`f-channel-${channel}`} name="channel" value={channel} defaultChecked={channel === "letter"} />
              <label htmlFor={`f-channel-${channel}`}>{m.channels[channel]}</label>
            </div>
          ))}
        </fieldset>
        <TextField name="receivedOn" type="date" label={m.receivedOn} hint={m.receivedOnHint} required defaultValue={loaderData.today} error={error("receivedOn")} />
        <fieldset className={error("kinds") ? "field field--invalid" : "field"} id={fieldId("kinds")} tabIndex={-1}>
          <legend>{m.kinds}</legend>
          {error("kinds") ? <p className="field-error">{error("kinds")}</p> : null}
          {requestKinds.map((kind) => (
            <div className="choice" key={kind.slug}>
              <input type="checkbox" id={`f-kinds-${kind.slug}`} name="kinds" value={kind.slug} />
              <label htmlFor={`f-kinds-${kind.slug}`}>{kind.label[lang]}</label>
            </div>
          ))}
        </fieldset>
        <fieldset className="field" id={fieldId("lang")} tabIndex={-1}>
          <legend>{m.lang}</legend>
          {(["de", "en"] as const).map((value) => (
            <div className="choice" key={value}>
              <input type="radio" id={`f-lang-${value}`} name="lang" value={value} defaultChecked={value === "de"} />
              <label htmlFor={`f-lang-${value}`}>{m.languages[value]}</label>
            </div>
          ))}
        </fieldset>
        <TextField name="email" type="email" label={m.email} hint={m.emailHint} error={error("email")} maxLength={254} />
        <RepresentativeFields variant="intake" error={error} value={() => undefined} />
        <TextField name="name" label={j.form.name} error={error("name")} maxLength={200} />
        <TextField name="postalAddress" label={j.form.postalAddress} multiline error={error("postalAddress")} maxLength={1000} />
        <TextField name="phones" label={j.form.phones} hint={j.form.phonesHint} multiline error={error("phones")} maxLength={1000} />
        <TextField name="birthDate" label={j.form.birthDate} hint={j.form.birthDateHint} error={error("birthDate")} maxLength={40} />
        <TextField name="note" label={m.note} multiline error={error("note")} maxLength={10000} />
        <div className={error("scan") ? "field field--invalid" : "field"}>
          <label htmlFor={fieldId("scan")}>{m.scan}</label>
          <span className="hint" id="f-scan-hint">
            {m.scanHint}
          </span>
          {error("scan") ? (
            <p className="field-error" id="f-scan-error">
              {error("scan")}
            </p>
          ) : null}
          <input type="file" id={fieldId("scan")} name="scan" accept="application/pdf,image/png,image/jpeg" aria-describedby={error("scan") ? "f-scan-hint f-scan-error" : "f-scan-hint"} />
        </div>
        <button type="submit" className="button">
          {m.submit}
        </button>
      </Form>
    </>
  );
}
