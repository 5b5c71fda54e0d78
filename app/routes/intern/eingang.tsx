import { staffChannels } from "#app/core/channels";
import { getFormProps, useForm } from "@conform-to/react";
import { Form, useActionData } from "react-router";
import type { Route } from "./+types/eingang";
import { berlinDayOf } from "#app/core/berlin-date";
import { requestKinds } from "#app/core/request-kinds";
import { useLang, useMessages } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import {
  CheckboxesField,
  ChoiceField,
  ErrorSummary,
  FileField,
  Honeypot,
  TextAreaField,
  TextField,
  useErrorText,
} from "#app/ui/form/fields";
import { RepresentativeFields } from "#app/ui/form/representative-fields";
import { PageTitle } from "#app/ui/page-title";
import { type IntakeOutcome, intakeAction } from "./eingang/action.server";

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "request:intake");
  return { today: berlinDayOf(new Date()), me: staffPageMember(staff) };
}

export function action(args: Route.ActionArgs) {
  return intakeAction(args);
}

export default function Intake({ loaderData }: Route.ComponentProps) {
  const j = useMessages().journey;
  const m = j.intake;
  const lang = useLang();
  const outcome = useActionData<typeof action>() as IntakeOutcome | undefined;
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
  const chosenKinds = [initial.kinds].flat().filter((k): k is string => typeof k === "string");
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
        <ChoiceField
          name="channel"
          legend={m.channel}
          error={error("channel")}
          idsByValue
          defaultValue={text("channel") ?? "letter"}
          options={staffChannels.map((channel) => ({ value: channel, label: m.channels[channel] }))}
        />
        <TextField
          name="receivedOn"
          type="date"
          label={m.receivedOn}
          hint={m.receivedOnHint}
          required
          defaultValue={text("receivedOn") ?? loaderData.today}
          error={error("receivedOn")}
        />
        <CheckboxesField
          name="kinds"
          legend={m.kinds}
          error={error("kinds")}
          defaultValues={chosenKinds}
          options={requestKinds.map((kind) => ({ value: kind.slug, label: kind.label[lang] }))}
        />
        <ChoiceField
          name="lang"
          legend={m.lang}
          error={error("lang")}
          idsByValue
          defaultValue={text("lang") ?? "de"}
          options={(["de", "en"] as const).map((value) => ({ value, label: m.languages[value] }))}
        />
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
        <FileField
          name="scan"
          label={m.scan}
          hint={m.scanHint}
          error={error("scan")}
          accept="application/pdf,image/png,image/jpeg"
        />
        <button type="submit" className="button">
          {m.submit}
        </button>
      </Form>
    </>
  );
}
