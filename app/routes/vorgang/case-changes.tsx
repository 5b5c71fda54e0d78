import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { Field, Honeypot, TextAreaField } from "#app/ui/form/fields";

/** While the case is open: information or a document added, or the request withdrawn. */
export function CaseChanges({ errorFor }: { errorFor: (field: string) => string | undefined }) {
  const j = useMessages().journey;
  return (
    <>
      <h2>{j.case.addTitle}</h2>
      <Form method="post" encType="multipart/form-data">
        <Honeypot />
        <TextAreaField name="text" label={j.case.addText} maxLength={5000} error={errorFor("text")} />
        <Field name="document" label={j.case.addFile} hint={j.case.addFileHint} error={errorFor("document")}>
          {(control) => <input {...control} type="file" accept="application/pdf,image/png,image/jpeg" />}
        </Field>
        <button type="submit" className="button" name="intent" value="add">
          {j.case.addSubmit}
        </button>
      </Form>

      <h2>{j.case.withdrawTitle}</h2>
      <p>{j.case.withdrawText}</p>
      <Form method="post">
        <Honeypot />
        <div className={errorFor("confirm") ? "choice field--invalid" : "choice"} id="f-confirm-wrap">
          <input
            type="checkbox"
            id="f-confirm"
            name="confirm"
            value="yes"
            aria-describedby={errorFor("confirm") ? "f-confirm-error" : undefined}
          />
          <label htmlFor="f-confirm">{j.case.withdrawConfirm}</label>
        </div>
        {errorFor("confirm") ? (
          <p className="field-error" id="f-confirm-error">
            {errorFor("confirm")}
          </p>
        ) : null}
        <button type="submit" className="button button--secondary" name="intent" value="withdraw">
          {j.case.withdrawSubmit}
        </button>
      </Form>
    </>
  );
}
