import { getFormProps, useForm } from "@conform-to/react";
import { Form } from "react-router";
import { useMessages } from "#app/i18n";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { Field, TextField, useErrorText } from "#app/ui/form/fields";
import { IntentButton } from "#app/ui/form/intent-button";
import { useSentBack } from "#app/ui/form/sent-back";
import type { Outcome } from "./actions.server";
import { archivePasswordSchema, downloadCodeSchema } from "./forms";

/** Downloads of a released answer: unlocked by a fresh code, shown with how long they stay available. */
export function AnswerDownloads({
  reference,
  answers,
  unlocked,
  outcome,
  refusal,
}: {
  reference: string;
  answers: { kind: string; availableUntil: string; available: boolean }[];
  unlocked: boolean;
  outcome: Outcome | undefined;
  /** Why the last download was refused (`?antwort=` from the download route). */
  refusal: string | null;
}) {
  const messages = useMessages();
  const d = messages.delivery;
  const j = messages.journey;
  if (answers.length === 0) return <p>{j.case.notReleased}</p>;
  const access = answers.find((a) => a.kind === "access");
  if (!access?.available) return <p>{d.expired}</p>;
  const portability = answers.some((a) => a.kind === "portability" && a.available);
  // A wrong archive password is told beside the archives it was meant for.
  const refusalText = refusal && refusal !== "passwort" ? d.refused[refusal] : undefined;
  // Plain links, no `download` attribute: a file comes as an attachment anyway, and a refusal
  // leads back here with its reason instead of ending as a failed file in the browser.
  return (
    <>
      <p>{d.available(j.formatDate(access.availableUntil))}</p>
      {refusalText ? (
        <p className="field-error" role="alert">
          {refusalText}
        </p>
      ) : null}
      {outcome?.downloadError ? (
        <p className="field-error" role="alert">
          {d.errors[outcome.downloadError] ?? d.errors.code}
        </p>
      ) : null}
      {unlocked ? (
        <>
          <p className="success" role="status">
            {d.unlocked}
          </p>
          <ul className="plain-list">
            <li>
              <a href={`/vorgang/${reference}/antwort/brief.pdf`}>{d.files.letter}</a>
            </li>
            <li>
              <a href={`/vorgang/${reference}/antwort/auskunft.zip`}>{d.files.archive}</a>
            </li>
            {portability ? (
              <li>
                <a href={`/vorgang/${reference}/antwort/datenuebertragung.zip`}>{d.files.portability}</a>
              </li>
            ) : null}
          </ul>
          <EncryptedDownloads
            reference={reference}
            portability={portability}
            password={outcome?.archivePassword}
            wrongPassword={refusal === "passwort"}
          />
        </>
      ) : (
        <>
          <p>{d.unlockIntro}</p>
          <IntentButton intent="download-code" label={d.sendCode} secondary />
          {outcome?.done === "download-code-sent" ? (
            <p role="status" className="success">
              {d.codeSent}
            </p>
          ) : null}
          <DownloadCodeForm />
        </>
      )}
    </>
  );
}

/**
 * The code that unlocks the downloads, checked in the browser as the person leaves the field; whether
 * it matches, only the server knows. A refused code is not typed back. Messages: `delivery.errors`.
 */
function DownloadCodeForm() {
  const d = useMessages().delivery;
  const [form, fields] = useForm({
    id: "download-prove",
    lastResult: useSentBack("download-prove"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(downloadCodeSchema),
  });
  const key = fields.downloadCode.errors?.[0];
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="download-prove" />
      <TextField
        name="downloadCode"
        label={d.code}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={12}
        error={key ? (d.errors[key] ?? d.errors.code) : undefined}
      />
      <button className="button" type="submit">
        {d.unlock}
      </button>
    </Form>
  );
}

/**
 * The archives with AES-256: a password made on request and shown once. The person types it back to
 * download, so that nobody ends up with an archive they cannot open.
 */
function EncryptedDownloads({
  reference,
  portability,
  password,
  wrongPassword,
}: {
  reference: string;
  portability: boolean;
  password: string | undefined;
  wrongPassword: boolean;
}) {
  const d = useMessages().delivery.encrypted;
  const errorText = useErrorText();
  // Typed back empty, the browser says so at once; whether it matches, only the download knows.
  const [form, fields] = useForm({
    id: "archive-password",
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(archivePasswordSchema),
  });
  const archiveUrl = (file: string) => `/vorgang/${reference}/antwort/${file}`;
  return (
    <section aria-labelledby="verschluesselt">
      <h3 id="verschluesselt">{d.title}</h3>
      {/* A new password answers the refusal, though the address still carries it. */}
      {wrongPassword && !password ? (
        <p className="field-error" role="alert">
          {d.wrongPassword}
        </p>
      ) : null}
      {password ? (
        <div role="status">
          <p>
            {d.password}{" "}
            <code className="archive-password" data-testid="archive-password">
              {password}
            </code>
          </p>
          <p>{d.onceOnly}</p>
          {/* A native form post: the answer comes back as a file, which the browser saves. */}
          <Form method="post" action={archiveUrl("auskunft.zip")} reloadDocument {...getFormProps(form)}>
            <Field
              name="password"
              id="archive-password-typed"
              label={d.typeBack}
              required
              error={errorText(fields.password.errors?.[0])}
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  autoCapitalize="off"
                  maxLength={64}
                />
              )}
            </Field>
            <button className="button" type="submit">
              {d.archive}
            </button>{" "}
            {portability ? (
              <button
                className="button button--secondary"
                type="submit"
                formAction={archiveUrl("datenuebertragung.zip")}
              >
                {d.portability}
              </button>
            ) : null}
          </Form>
        </div>
      ) : (
        <>
          <p>{d.intro}</p>
          <IntentButton intent="archive-password" label={d.create} secondary />
        </>
      )}
    </section>
  );
}
