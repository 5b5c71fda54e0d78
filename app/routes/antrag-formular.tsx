import { getFormProps, useForm } from "@conform-to/react";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Form, useActionData } from "react-router";
import type { Route } from "./+types/antrag-formular";
import { type RequestKind, findRequestKind, requestKinds } from "../core/request-kinds";
import { useLang, useMessages } from "../i18n";
import { IP_ROWS, requestFormSchema } from "../server/requests/request-form";
import {
  CheckboxesField,
  ChoiceField,
  ErrorSummary,
  Honeypot,
  type SummaryError,
  TextField,
  useErrorText,
  TextAreaField,
} from "../ui/form/fields";
import { RepresentativeFields } from "../ui/form/representative-fields";
import { PageTitle } from "../ui/page-title";
import { CASE_FILE_FIELD } from "./antrag/case-file-field";
import { type RequestFormOutcome, requestFormAction, requestFormPage } from "./antrag/request-form.server";

export function loader({ params }: Route.LoaderArgs) {
  return requestFormPage(params.art);
}

export function action({ request, params, context }: Route.ActionArgs) {
  return requestFormAction(request, context, params.art);
}

/** Looks up `a.b[0].c` in conform's nested initial value. */
function valueAt(initial: unknown, name: string): unknown {
  let current: unknown = initial;
  for (const part of name.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export default function RequestForm({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData() as RequestFormOutcome | undefined;
  const messages = useMessages();
  const m = messages.journey.form;
  const lang = useLang();
  const errorText = useErrorText();
  const kind = findRequestKind(loaderData.slug)!;
  const schema = requestFormSchema(kind.slug);
  // The server's schema runs in the browser too: a field is checked as the person leaves it and
  // again as they correct it; the server checks everything again and alone decides.
  const [form] = useForm({
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(schema),
  });
  const errors = form.allErrors;
  const initial = actionData?.result.initialValue ?? {};
  const text = (name: string) => {
    const value = valueAt(initial, name);
    return typeof value === "string" ? value : undefined;
  };
  const chosen = new Set<string>([kind.slug]);
  const kindsValue = valueAt(initial, "kinds");
  for (const value of Array.isArray(kindsValue) ? kindsValue : [kindsValue])
    if (typeof value === "string") chosen.add(value);
  const c = messages.complaints;
  // The case-file choice has its own message, from the complaints catalogue.
  const errorMessage = (name: string, key: string | undefined) =>
    name === CASE_FILE_FIELD && key ? c.errors.choiceRequired : errorText(key);
  const error = (name: string) => errorMessage(name, errors[name]?.[0]);

  const summary: SummaryError[] = Object.entries(errors)
    .filter(([, list]) => list && list.length > 0)
    .map(([name, list]) => ({
      name: name === "submissionKey" || name === "website" ? "" : name,
      message: errorMessage(name, list![0])!,
    }));

  const caseFileChoice = (k: RequestKind) =>
    k.slug === "beschwerde" ? (
      <ChoiceField
        key={CASE_FILE_FIELD}
        name={CASE_FILE_FIELD}
        legend={c.requestForm.caseFileLegend}
        hint={c.requestForm.caseFileHint}
        required={kind.slug === "beschwerde"}
        error={error(CASE_FILE_FIELD)}
        defaultValue={text(CASE_FILE_FIELD)}
        options={[
          { value: "yes", label: c.requestForm.caseFileYes },
          { value: "no", label: c.requestForm.caseFileNo },
        ]}
      />
    ) : null;

  const extraFields = (k: RequestKind) =>
    k.extraFields.map((field) => {
      const name = `details.${k.slug}.${field.name}`;
      return field.input === "choice" ? (
        <ChoiceField
          key={name}
          name={name}
          legend={field.label[lang]}
          hint={field.hint?.[lang]}
          required={field.required && k.slug === kind.slug}
          error={error(name)}
          defaultValue={text(name)}
          options={field.options.map((o) => ({ value: o.value, label: o.label[lang] }))}
        />
      ) : (
        <TextAreaField
          key={name}
          name={name}
          label={field.label[lang]}
          hint={field.hint?.[lang]}
          required={field.required && k.slug === kind.slug}
          error={error(name)}
          defaultValue={text(name)}
          maxLength={field.maxLength}
        />
      );
    });

  const title = m.title(kind.label[lang]);
  return (
    <>
      <PageTitle title={title} description={kind.description[lang]} />
      <h1>{title}</h1>
      <p className="lead">{kind.description[lang]}</p>
      <p>{m.intro}</p>
      <ErrorSummary errors={summary} />
      <Form method="post" {...getFormProps(form)} encType="application/x-www-form-urlencoded">
        <input
          type="hidden"
          name="submissionKey"
          value={actionData?.submissionKey ?? loaderData.submissionKey}
        />
        <Honeypot />
        <fieldset>
          <legend>{m.contactLegend}</legend>
          <TextField
            name="email"
            type="email"
            label={m.email}
            hint={m.emailHint}
            required
            autoComplete="email"
            error={error("email")}
            defaultValue={text("email")}
            maxLength={254}
          />
          <RepresentativeFields variant="form" error={error} value={text} />
        </fieldset>

        {extraFields(kind)}
        {caseFileChoice(kind)}

        {/* What to search for comes first; the other kinds of request, with their long descriptions, after it. */}
        <fieldset>
          <legend>
            {m.identifiersLegend} <span className="field-required">({m.optional})</span>
          </legend>
          <p className="hint">{m.identifiersHint}</p>
          <TextField
            name="name"
            label={m.name}
            autoComplete="name"
            error={error("name")}
            defaultValue={text("name")}
            maxLength={200}
          />
          <TextAreaField
            name="postalAddress"
            label={m.postalAddress}
            hint={m.postalAddressHint}
            autoComplete="street-address"
            error={error("postalAddress")}
            defaultValue={text("postalAddress")}
            maxLength={1000}
          />
          <TextAreaField
            name="otherEmails"
            label={m.otherEmails}
            hint={m.otherEmailsHint}
            error={error("otherEmails")}
            defaultValue={text("otherEmails")}
            maxLength={5000}
          />
          <TextAreaField
            name="phones"
            label={m.phones}
            hint={m.phonesHint}
            error={error("phones")}
            defaultValue={text("phones")}
            maxLength={1000}
          />
          <TextField
            name="userName"
            label={m.userName}
            hint={m.userNameHint}
            autoComplete="off"
            error={error("userName")}
            defaultValue={text("userName")}
            maxLength={200}
          />
          <p className="hint">{m.ipHint}</p>
          {Array.from({ length: IP_ROWS }, (_, index) => (
            <fieldset key={index}>
              <legend>{m.ipLegend(index + 1)}</legend>
              <TextField
                name={`ip[${index}].address`}
                label={m.ipAddress}
                error={error(`ip[${index}].address`)}
                defaultValue={text(`ip[${index}].address`)}
                maxLength={100}
              />
              <TextField
                name={`ip[${index}].from`}
                type="datetime-local"
                label={m.ipFrom}
                error={error(`ip[${index}].from`)}
                defaultValue={text(`ip[${index}].from`)}
              />
              <TextField
                name={`ip[${index}].to`}
                type="datetime-local"
                label={m.ipTo}
                error={error(`ip[${index}].to`)}
                defaultValue={text(`ip[${index}].to`)}
              />
            </fieldset>
          ))}
          <TextField
            name="birthDate"
            label={m.birthDate}
            hint={m.birthDateHint}
            autoComplete="bday"
            error={error("birthDate")}
            defaultValue={text("birthDate")}
            maxLength={40}
          />
        </fieldset>

        <CheckboxesField
          name="kinds"
          legend={m.kindsLegend}
          hint={m.kindsHint}
          error={error("kinds")}
          defaultValues={[...chosen]}
          options={requestKinds
            .filter((other) => other.slug !== kind.slug)
            .map((other) => ({
              value: other.slug,
              label: other.label[lang],
              description: other.description[lang],
              fields:
                other.extraFields.length > 0 ? (
                  <>
                    <p className="hint">{m.kindExtraHint}</p>
                    {extraFields(other)}
                    {caseFileChoice(other)}
                  </>
                ) : undefined,
            }))}
        />

        <p className="note">{m.privacy}</p>
        <button type="submit" className="button">
          {m.submit}
        </button>
      </Form>
    </>
  );
}
