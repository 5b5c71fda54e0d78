import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { CheckboxField, FileField, Honeypot, TextAreaField, useErrorText } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { MAX_ADDED_TEXT, addInformationSchema, withdrawSchema } from "./forms";

/**
 * While the case is open: information or a document added, or the request withdrawn. Each form is
 * checked in the browser with the action's schema as the person leaves a field; the document only on
 * the server (by its first bytes), whose refusal stays at the field until another file is chosen.
 */
export function CaseChanges() {
  const j = useMessages().journey;
  const errorText = useErrorText();
  const [addForm, addFields] = useForm({
    id: "add",
    lastResult: useSentBack("add"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(addInformationSchema, ["document"]),
  });
  const [withdrawForm, withdrawFields] = useForm({
    id: "withdraw",
    lastResult: useSentBack("withdraw"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(withdrawSchema),
  });
  const text = addFields.text.initialValue;
  return (
    <>
      <h2>{j.case.addTitle}</h2>
      <Form method="post" encType="multipart/form-data" {...getFormProps(addForm)}>
        <Honeypot />
        <TextAreaField
          name="text"
          label={j.case.addText}
          maxLength={MAX_ADDED_TEXT}
          error={errorText(addFields.text.errors?.[0])}
          defaultValue={typeof text === "string" ? text : undefined}
        />
        <FileField
          name="document"
          label={j.case.addFile}
          hint={j.case.addFileHint}
          accept="application/pdf,image/png,image/jpeg"
          error={errorText(addForm.allErrors.document?.[0])}
        />
        <button type="submit" className="button" name="intent" value="add">
          {j.case.addSubmit}
        </button>
      </Form>

      <h2>{j.case.withdrawTitle}</h2>
      <p>{j.case.withdrawText}</p>
      <Form method="post" {...getFormProps(withdrawForm)}>
        <Honeypot />
        <CheckboxField
          name="confirm"
          value="yes"
          label={j.case.withdrawConfirm}
          error={errorText(withdrawFields.confirm.errors?.[0])}
        />
        <button type="submit" className="button button--secondary" name="intent" value="withdraw">
          {j.case.withdrawSubmit}
        </button>
      </Form>
    </>
  );
}
