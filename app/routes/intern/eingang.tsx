import { staffChannels } from "#app/core/channels";
import { type SubmissionResult, getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, data, useActionData } from "react-router";
import type { Route } from "./+types/eingang";
import { berlinDayOf } from "#app/core/berlin-date";
import { requestKinds } from "#app/core/request-kinds";
import { useLang, useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { MAX_DOCUMENT_BYTES, safeFileName, sniffFileType } from "#app/server/requests/documents.server";
import { pickFormFields } from "#app/server/http/form.server";
import { staffAction } from "#app/server/http/staff-action.server";
import { sendQueuedMail } from "#app/server/http/context.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import { gatherOnReceipt } from "#app/server/gather/gather.server";
import { asErrorKey, representativeFields } from "#app/server/requests/request-form";
import { ErrorSummary, Honeypot, TextField, fieldId, useErrorText, TextAreaField } from "#app/ui/form/fields";
import { RepresentativeFields } from "#app/ui/form/representative-fields";
import { PageTitle } from "#app/ui/page-title";

const fields = new Set([
  "channel",
  "receivedOn",
  "kinds",
  "lang",
  "email",
  "name",
  "postalAddress",
  "phones",
  "birthDate",
  "note",
  ...Object.keys(representativeFields),
]);

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "request:intake");
  return { today: berlinDayOf(new Date()), me: staffPageMember(staff) };
}

type ActionResult = SubmissionResult<string[]>;
type Outcome = { result?: ActionResult; reference?: string };

export async function action({ request, context }: Route.ActionArgs) {
  const { staff, form: body } = await staffAction({ request, context }, "request:intake");
  const form = body && pickFormFields(body, (name) => fields.has(name));
  if (!body || !form)
    return data<Outcome>({ result: { status: "error", error: { "": ["badForm"] } } }, { status: 400 });
  // conform reads the form as the public request form does: a refused form comes back with what was typed.
  const submission = parseWithZod(form, { schema: intakeSchema });
  const fileErrors: Record<string, string[]> = {};
  let scan = null;
  const file = body.get("scan");
  if (file instanceof File && file.size > 0) {
    const type = file.size <= MAX_DOCUMENT_BYTES ? await sniffFileType(file) : null;
    if (file.size > MAX_DOCUMENT_BYTES) fileErrors.scan = ["fileTooLarge"];
    else if (!type) fileErrors.scan = ["fileType"];
    else scan = { fileName: safeFileName(file.name, type), contentType: type, content: file };
  }
  if (submission.status !== "success" || Object.keys(fileErrors).length > 0) {
    const result = submission.reply({ fieldErrors: fileErrors });
    const error = Object.fromEntries(
      Object.entries(result.error ?? {}).map(([name, list]) => [name, list?.map(asErrorKey) ?? null]),
    );
    return data<Outcome>({ result: { ...result, error: { ...error, ...fileErrors } } }, { status: 400 });
  }
  const created = await intakeRequest(context.services, {
    staffId: staff.id,
    form: submission.value,
    scan,
  });
  await sendQueuedMail(context, created.outboxIds);
  await gatherOnReceipt(context.services, created.requestId);
  // A fresh, empty form for the next letter.
  return { result: submission.reply({ resetForm: true }), reference: created.reference } satisfies Outcome;
}

export default function Intake({ loaderData }: Route.ComponentProps) {
  const j = useMessages().journey;
  const m = j.intake;
  const lang = useLang();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const errorText = useErrorText();
  // Checked on the server only: the schema lives there (it reads the Berlin day and the identifiers' rules).
  const [form] = useForm({ lastResult: outcome?.result });
  const errors = form.allErrors;
  const error = (name: string) => errorText(errors[name]?.[0]);
  // What was typed before a refusal; nothing after a success (resetForm) or on first load.
  const initial = (outcome?.reference ? {} : (outcome?.result?.initialValue ?? {})) as Record<
    string,
    unknown
  >;
  const text = (name: string) => (typeof initial[name] === "string" ? (initial[name] as string) : undefined);
  const chosenKinds = new Set([initial.kinds].flat().filter((k): k is string => typeof k === "string"));
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
      <ErrorSummary
        errors={Object.entries(errors)
          .filter(([, list]) => list && list.length > 0)
          .map(([name, list]) => ({ name, message: errorText(list![0])! }))}
      />
      <Form
        method="post"
        encType="multipart/form-data"
        {...getFormProps(form)}
        key={outcome?.reference ?? "intake"}
      >
        <Honeypot />
        <fieldset
          className={error("channel") ? "field field--invalid" : "field"}
          id={fieldId("channel")}
          tabIndex={-1}
        >
          <legend>{m.channel}</legend>
          {error("channel") ? <p className="field-error">{error("channel")}</p> : null}
          {staffChannels.map((channel) => (
            <div className="choice" key={channel}>
              <input
                type="radio"
                id={`f-channel-${channel}`}
                name="channel"
                value={channel}
                defaultChecked={channel === (text("channel") ?? "letter")}
              />
              <label htmlFor={`f-channel-${channel}`}>{m.channels[channel]}</label>
            </div>
          ))}
        </fieldset>
        <TextField
          name="receivedOn"
          type="date"
          label={m.receivedOn}
          hint={m.receivedOnHint}
          required
          defaultValue={text("receivedOn") ?? loaderData.today}
          error={error("receivedOn")}
        />
        <fieldset
          className={error("kinds") ? "field field--invalid" : "field"}
          id={fieldId("kinds")}
          tabIndex={-1}
        >
          <legend>{m.kinds}</legend>
          {error("kinds") ? <p className="field-error">{error("kinds")}</p> : null}
          {requestKinds.map((kind) => (
            <div className="choice" key={kind.slug}>
              <input
                type="checkbox"
                id={`f-kinds-${kind.slug}`}
                name="kinds"
                value={kind.slug}
                defaultChecked={chosenKinds.has(kind.slug)}
              />
              <label htmlFor={`f-kinds-${kind.slug}`}>{kind.label[lang]}</label>
            </div>
          ))}
        </fieldset>
        <fieldset className="field" id={fieldId("lang")} tabIndex={-1}>
          <legend>{m.lang}</legend>
          {(["de", "en"] as const).map((value) => (
            <div className="choice" key={value}>
              <input
                type="radio"
                id={`f-lang-${value}`}
                name="lang"
                value={value}
                defaultChecked={value === (text("lang") ?? "de")}
              />
              <label htmlFor={`f-lang-${value}`}>{m.languages[value]}</label>
            </div>
          ))}
        </fieldset>
        <TextField
          name="email"
          type="email"
          label={m.email}
          hint={m.emailHint}
          error={error("email")}
          defaultValue={text("email")}
          maxLength={254}
        />
        <RepresentativeFields variant="intake" error={error} value={text} />
        <TextField
          name="name"
          label={j.form.name}
          error={error("name")}
          defaultValue={text("name")}
          maxLength={200}
        />
        <TextAreaField
          name="postalAddress"
          label={j.form.postalAddress}
          error={error("postalAddress")}
          defaultValue={text("postalAddress")}
          maxLength={1000}
        />
        <TextAreaField
          name="phones"
          label={j.form.phones}
          hint={j.form.phonesHint}
          error={error("phones")}
          defaultValue={text("phones")}
          maxLength={1000}
        />
        <TextField
          name="birthDate"
          label={j.form.birthDate}
          hint={j.form.birthDateHint}
          error={error("birthDate")}
          defaultValue={text("birthDate")}
          maxLength={40}
        />
        <TextAreaField
          name="note"
          label={m.note}
          error={error("note")}
          defaultValue={text("note")}
          maxLength={10000}
        />
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
          <input
            type="file"
            id={fieldId("scan")}
            name="scan"
            accept="application/pdf,image/png,image/jpeg"
            aria-describedby={error("scan") ? "f-scan-hint f-scan-error" : "f-scan-hint"}
          />
        </div>
        <button type="submit" className="button">
          {m.submit}
        </button>
      </Form>
    </>
  );
}
