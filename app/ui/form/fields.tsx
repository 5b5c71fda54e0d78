import { type ReactNode, useEffect, useRef, useState } from "react";
import { useMessages } from "#app/i18n";

/** A stable element id for a form field name such as `details.berichtigung.correctValue`. */
function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/**
 * Error keys come from the zod schemas; this turns one into the person's language. The key is an
 * open string: zod and conform carry a message as plain text, so a schema's key is not checked
 * against the catalogue, and one it does not know is shown as "invalid".
 */
export function useErrorText(): (key: string | undefined) => string | undefined {
  const m = useMessages().journey.errors;
  return (key) => (key === undefined ? undefined : (m[key] ?? m.invalid));
}

interface FieldProps {
  name: string;
  /** Where one name appears in several forms of a page (one per row), each needs an id of its own. */
  id?: string;
  label: string;
  hint?: string;
  /** Already translated. */
  error?: string;
  /** The error is announced where it appears without a page load and no error summary does (a row's form). */
  alert?: boolean;
  /** The label is read out but not shown (a compact form in a table row whose header says what it is). */
  labelHidden?: boolean;
  required?: boolean;
  children: (control: {
    id: string;
    name: string;
    "aria-describedby"?: string;
    "aria-invalid"?: true;
    required?: boolean;
  }) => ReactNode;
}

/** "(required)" after a label or legend; nothing, not even a space, when the field is optional. */
function RequiredMark({ required }: { required?: boolean }) {
  const m = useMessages().journey.form;
  return required ? (
    <>
      {" "}
      <span className="field-required">({m.required})</span>
    </>
  ) : null;
}

/** Label, hint and error tied to one control by id and aria-describedby. */
export function Field({
  name,
  id: givenId,
  label,
  hint,
  error,
  alert,
  labelHidden,
  required,
  children,
}: FieldProps) {
  const id = givenId ?? fieldId(name);
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id} className={labelHidden ? "visually-hidden" : undefined}>
        {label}
        <RequiredMark required={required} />
      </label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <FieldError id={`${id}-error`} message={error} alert={alert} />
      {children({
        id,
        name,
        "aria-describedby": describedBy,
        "aria-invalid": error ? true : undefined,
        required: required || undefined,
      })}
    </div>
  );
}

export function TextField(
  props: Omit<FieldProps, "children"> & {
    type?: "text" | "email" | "tel" | "date" | "datetime-local";
    defaultValue?: string;
    autoComplete?: string;
    inputMode?: "numeric" | "email" | "tel" | "text";
    maxLength?: number;
    /** The earliest and latest day a date field offers (the server checks them again). */
    min?: string;
    max?: string;
  },
) {
  const { type = "text", defaultValue, autoComplete, inputMode, maxLength, min, max, ...field } = props;
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          type={type}
          defaultValue={defaultValue}
          autoComplete={autoComplete}
          inputMode={inputMode}
          maxLength={maxLength}
          min={min}
          max={max}
        />
      )}
    </Field>
  );
}

/** A labelled text of several lines (reasons, an address, a message). */
export function TextAreaField(
  props: Omit<FieldProps, "children"> & {
    defaultValue?: string;
    autoComplete?: string;
    /** The browser asks for at least this many characters (without JavaScript too; the server checks again). */
    minLength?: number;
    maxLength?: number;
    rows?: number;
  },
) {
  const { defaultValue, autoComplete, minLength, maxLength, rows = 4, ...field } = props;
  return (
    <Field {...field}>
      {(control) => (
        <textarea
          {...control}
          defaultValue={defaultValue}
          autoComplete={autoComplete}
          minLength={minLength}
          maxLength={maxLength}
          rows={rows}
        />
      )}
    </Field>
  );
}

interface SelectOption {
  value: string;
  label: string;
}

/**
 * A labelled select. `placeholder` is a first option without a value (a choice not yet made);
 * `groups` puts the options under headings (optgroup).
 */
export function SelectField(
  props: Omit<FieldProps, "children"> & {
    options?: SelectOption[];
    groups?: { label: string; options: SelectOption[] }[];
    placeholder?: { label: string; disabled?: boolean };
    defaultValue?: string;
  },
) {
  const { options = [], groups = [], placeholder, defaultValue, ...field } = props;
  const optionList = (list: SelectOption[]) =>
    list.map((option) => (
      <option key={option.value} value={option.value}>
        {option.label}
      </option>
    ));
  return (
    <Field {...field}>
      {(control) => (
        <select {...control} defaultValue={defaultValue ?? (placeholder ? "" : undefined)}>
          {placeholder ? (
            <option value="" disabled={placeholder.disabled}>
              {placeholder.label}
            </option>
          ) : null}
          {optionList(options)}
          {groups.map((group, index) => (
            <optgroup key={index} label={group.label}>
              {optionList(group.options)}
            </optgroup>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Radio buttons in a fieldset; the legend is the question. */
export function ChoiceField(props: {
  name: string;
  id?: string;
  legend: string;
  hint?: string;
  error?: string;
  required?: boolean;
  /** `disabled`: shown, but not to be chosen here (the form says why). */
  options: { value: string; label: string; disabled?: boolean }[];
  defaultValue?: string;
  /**
   * The browser refuses the form without a choice. Staff forms ask for it; the public forms leave
   * it to the server, whose message is in the person's language and in the error summary.
   */
  browserRequired?: boolean;
  /** The options side by side (a short choice in a panel that must leave room for a table). */
  inline?: boolean;
  /** Each option's id is `<id>-<value>` instead of `<id>-<index>`: stable when the options vary. */
  idsByValue?: boolean;
}) {
  const id = props.id ?? fieldId(props.name);
  return (
    <GroupFieldset {...props} id={id}>
      <OptionsLayout inline={props.inline}>
        {props.options.map((option, index) => {
          const optionId = `${id}-${props.idsByValue ? option.value : index}`;
          return (
            <div className="choice" key={option.value}>
              <input
                type="radio"
                id={optionId}
                name={props.name}
                value={option.value}
                defaultChecked={props.defaultValue === option.value}
                disabled={option.disabled || undefined}
                required={props.browserRequired || undefined}
              />
              <label htmlFor={optionId}>{option.label}</label>
            </div>
          );
        })}
      </OptionsLayout>
    </GroupFieldset>
  );
}

function OptionsLayout({ inline, children }: { inline?: boolean; children: ReactNode }) {
  return inline ? <div className="choices-inline">{children}</div> : <>{children}</>;
}

/** One option of a CheckboxesField. */
interface CheckboxOption {
  value: string;
  label: ReactNode;
  /** What the row carries beyond its label (a reason, a date): follows the label, tied to the box by aria-describedby. */
  description?: ReactNode;
  /** `disabled`: shown, but not to be ticked here (the form says why). */
  disabled?: boolean;
  /** Follows the label on its line, outside it: a link to what the option names, to be read before ticking. */
  after?: ReactNode;
  /**
   * Fields that belong to the option, under it and shown once it is ticked (CSS :has(); browsers
   * without it show them always). They are sent either way; the schema reads them only for a ticked option.
   */
  fields?: ReactNode;
}

/**
 * Checkboxes in a fieldset, any number of them chosen; each option's id is `<id>-<value>`. The
 * group's error is tied to the fieldset, and every box says it is invalid.
 */
export function CheckboxesField(props: {
  name: string;
  id?: string;
  legend: string;
  hint?: string;
  /** Already translated. */
  error?: string;
  required?: boolean;
  options: CheckboxOption[];
  defaultValues?: readonly string[];
}) {
  const id = props.id ?? fieldId(props.name);
  return (
    <GroupFieldset {...props} id={id}>
      {props.options.map((option) => {
        const optionId = `${id}-${option.value}`;
        const label = <label htmlFor={optionId}>{option.label}</label>;
        const choice = (
          <div className="choice" key={option.value}>
            <input
              type="checkbox"
              id={optionId}
              name={props.name}
              value={option.value}
              defaultChecked={props.defaultValues?.includes(option.value)}
              disabled={option.disabled || undefined}
              aria-describedby={option.description ? `${optionId}-description` : undefined}
              aria-invalid={props.error ? true : undefined}
            />
            {option.description ? (
              <div>
                {label}
                <div id={`${optionId}-description`}>{option.description}</div>
              </div>
            ) : (
              label
            )}
            {option.after ? <> {option.after}</> : null}
          </div>
        );
        return option.fields ? (
          <div className="choice-with-fields" key={option.value}>
            {choice}
            <div className="choice-fields">{option.fields}</div>
          </div>
        ) : (
          choice
        );
      })}
    </GroupFieldset>
  );
}

/** The frame of a group of options: the legend is the question, then its hint and its error. */
function GroupFieldset(props: {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  required?: boolean;
  children: ReactNode;
}) {
  const { id } = props;
  const describedBy =
    [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(" ") ||
    undefined;
  return (
    <fieldset
      className={props.error ? "field field--invalid" : "field"}
      aria-describedby={describedBy}
      id={id}
      tabIndex={-1}
    >
      <legend>
        {props.legend}
        <RequiredMark required={props.required} />
      </legend>
      {props.hint ? (
        <span className="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      <FieldError id={`${id}-error`} message={props.error} />
      {props.children}
    </fieldset>
  );
}

/**
 * A labelled file field. The browser's `accept` only helps people choose: the server types every
 * upload by its first bytes all the same.
 */
export function FileField(props: Omit<FieldProps, "children"> & { accept: string; multiple?: boolean }) {
  const { accept, multiple, ...field } = props;
  return (
    <Field {...field}>
      {(control) => <input {...control} type="file" accept={accept} multiple={multiple} />}
    </Field>
  );
}

/** One checkbox that says yes to what its label says; the label follows the box, an error comes first. */
export function CheckboxField(props: {
  name: string;
  id?: string;
  /** Text, or a short text shown with a longer one for screen readers. */
  label: ReactNode;
  /** Already translated. */
  error?: string;
  /** The error is announced as it appears (a form checked in the browser, no page load). */
  alertError?: boolean;
  defaultChecked?: boolean;
  /** What a tick sends; the browser's "on" without it. */
  value?: string;
  /** The box must be ticked to send the form (the browser says so before the page is interactive too). */
  required?: boolean;
}) {
  const id = props.id ?? fieldId(props.name);
  return (
    <div className={props.error ? "field field--invalid" : "field"}>
      <FieldError id={`${id}-error`} message={props.error} alert={props.alertError} />
      <div className="choice">
        <input
          type="checkbox"
          id={id}
          name={props.name}
          value={props.value}
          defaultChecked={props.defaultChecked}
          aria-describedby={props.error ? `${id}-error` : undefined}
          aria-invalid={props.error ? true : undefined}
          required={props.required || undefined}
        />
        <label htmlFor={id}>
          {props.label}
          <RequiredMark required={props.required} />
        </label>
      </div>
    </div>
  );
}

export interface SummaryError {
  name: string;
  message: string;
}

/**
 * The list of problems at the top of a form, each a link to its field. It takes the focus when it
 * appears, so screen readers announce it and keyboard users start there.
 */
export function ErrorSummary({ errors }: { errors: SummaryError[] }) {
  const m = useMessages().journey.errors;
  const ref = useRef<HTMLDivElement>(null);
  const signature = errors.map((e) => `${e.name}:${e.message}`).join("|");
  // The summary takes the focus after a submit (also one the browser check stops), never while
  // the browser checks a field being left: that would pull the person away from the next field
  // (WCAG 3.2.2). A summary that comes with the page answers a submit.
  const focusPending = useRef(signature !== "");
  const [submits, setSubmits] = useState(0);
  useEffect(() => {
    const onSubmit = (event: SubmitEvent) => {
      // conform checks a field being left by a submit with its own intent button: not a submit.
      if (event.submitter?.getAttribute("name") === "__intent__") return;
      focusPending.current = true;
      setSubmits((n) => n + 1);
    };
    document.addEventListener("submit", onSubmit, true);
    return () => document.removeEventListener("submit", onSubmit, true);
  }, []);
  useEffect(() => {
    if (!signature || !focusPending.current) return;
    focusPending.current = false;
    ref.current?.focus();
  }, [signature, submits]);
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref}>
      <h2 id="error-summary-title">{m.summaryTitle}</h2>
      <ul>
        {errors.map((error) => (
          <li key={`${error.name}-${error.message}`}>
            {error.name === "" ? error.message : <a href={`#${fieldId(error.name)}`}>{error.message}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A field people never see; robots that fill every field give themselves away. */
export function Honeypot() {
  const m = useMessages().journey.form;
  return (
    <div className="honeypot" aria-hidden="true">
      <label htmlFor="f-website">{m.honeypot}</label>
      <input type="text" id="f-website" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}

/**
 * A refusal where it belongs: under its field's label, or at the top of its form. `alert` where it
 * appears without a page load and must be announced.
 */
export function FieldError({
  id,
  message,
  alert,
}: {
  id: string;
  message: string | null | undefined;
  alert?: boolean;
}) {
  return message ? (
    <p className="field-error" id={id} role={alert ? "alert" : undefined}>
      {message}
    </p>
  ) : null;
}
