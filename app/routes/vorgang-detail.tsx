import { Form, Link, data, redirect, useActionData, useSearchParams } from "react-router";
import type { Route } from "./+types/vorgang-detail";
import { useLang, useMessages } from "../i18n";
import { addInformation, proveIdentifier, sendIdentifierCode, withdrawRequest } from "../server/requests/case-actions.server";
import { type CaseView, findOwnedCase } from "../server/requests/case-view.server";
import { type JourneyDeps, journeyDeps } from "../server/requests/deps.server";
import { caseAsksFor, isFinalStatus } from "../core/case-status";
import { OutcomeNote } from "../ui/outcome-note";
import { MAX_DOCUMENT_BYTES, safeFileName, sniffDocumentType } from "../server/requests/documents.server";
import { formText, isUuid, readForm } from "../server/http/form.server";
import { clientKeyOf, sendQueuedMail } from "../server/http/context.server";
import { commitPerson, downloadsUnlocked, getPerson, newArchiveNonce, unlockDownloads } from "../server/requests/person-session.server";
import { archivePassword } from "../server/answers/password.server";
import { answersOf, proveDownloadCode, sendDownloadCode } from "../server/delivery/delivery.server";
import { recipientsToldOf } from "../server/execution/view.server";
import { processingActivityById, supervisoryAuthority, type ProcessingActivityId } from "../core/processing-activities";
import { getLang } from "../i18n/lang.server";
import { codeSchema } from "../server/requests/request-form";
import { ErrorSummary, Honeypot, TextField, useErrorText } from "../ui/form/fields";
import { kindList } from "../ui/form/kind-list";
import { PageTitle } from "../ui/page-title";
import { IntentButton } from "../ui/form/intent-button";
import { tlfdiDemandAction, tlfdiDemandOfCase } from "../server/complaints/tlfdi-demand-page.server";
import { TlfdiDemand } from "./vorgang/tlfdi-demand";

/**
 * Ownership is checked on every load and every action: the case is looked up only among those of
 * the signed-in person's proven addresses; unknown and foreign references both answer 404.
 */
async function ownedCaseOr404(request: Request, deps: JourneyDeps, config: Route.LoaderArgs["context"]["services"]["config"], reference: string): Promise<CaseView> {
  const person = await getPerson(request, config);
  if (person.emails.length === 0) throw redirect("/vorgang");
  const found = await findOwnedCase(deps, person.emails, reference);
  if (!found) throw data(null, { status: 404 });
  return found;
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const view = await ownedCaseOr404(request, journeyDeps(context.services), context.services.config, params.referenz);
  const { id: _id, contactEmail: _contact, ...visible } = view;
  const person = await getPerson(request, context.services.config);
  const released = await answersOf(context.services.database.db, view.id);
  return {
    view: visible,
    changeable: !isFinalStatus(view.status),
    answers: released.map((a) => ({ kind: a.kind, availableUntil: a.availableUntil.toISOString(), available: a.available })),
    downloadsUnlocked: downloadsUnlocked(person, view.id),
    recipientsTold: (await recipientsToldOf(context.services.database.db, view.id)).map((r) => ({ ...r, at: r.at.toISOString() })),
    // § 21(5) ThürDSG: the demand that the TLfDI be given what the answer kept back.
    tlfdiDemand: await tlfdiDemandOfCase(context, view.id),
  };
}

type Outcome = {
  error?: string;
  field?: string;
  done?: "added" | "withdrawn" | "code-sent" | "identifier-proven" | "download-code-sent" | "archive-password";
  identifierId?: string;
  /** Shown once, in this response only: derived from a nonce in the session, never stored. */
  archivePassword?: string;
  /** Errors of the download section, keys of `delivery.errors`. */
  downloadError?: string;
};

export async function action({ request, params, context }: Route.ActionArgs) {
  const deps = journeyDeps(context.services);
  const view = await ownedCaseOr404(request, deps, context.services.config, params.referenz);
  const form = await readForm(request);
  if (!form || formText(form, "website")) return data<Outcome>({ error: "badForm" }, { status: 400 });
  const intent = formText(form, "intent");

  if (intent === "withdraw") {
    if (formText(form, "confirm") !== "yes") return data<Outcome>({ error: "confirmWithdraw", field: "confirm" }, { status: 400 });
    const result = await withdrawRequest(deps, view.id);
    if (!result.ok) return data<Outcome>({ error: "notChangeable" }, { status: 409 });
    await sendQueuedMail(context, result.outboxIds);
    return { done: "withdrawn" } satisfies Outcome;
  }

  if (intent === "tlfdi-review") return tlfdiDemandAction(context, view.id, form);

  if (intent === "add") {
    const text = (formText(form, "text") ?? "").trim();
    if (text.length > 5000) return data<Outcome>({ error: "tooLong", field: "text" }, { status: 400 });
    const file = form.get("document");
    let document = null;
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_DOCUMENT_BYTES) return data<Outcome>({ error: "fileTooLarge", field: "document" }, { status: 413 });
      const content = Buffer.from(await file.arrayBuffer());
      const type = sniffDocumentType(content);
      if (!type) return data<Outcome>({ error: "fileType", field: "document" }, { status: 415 });
      document = { fileName: safeFileName(file.name, type), contentType: type, content };
    }
    if (!text && !document) return data<Outcome>({ error: "addEmpty", field: "text" }, { status: 400 });
    const result = await addInformation(deps, view.id, { text, document });
    if (!result.ok) return data<Outcome>({ error: "notChangeable" }, { status: 409 });
    return { done: "added" } satisfies Outcome;
  }

  if (intent === "download-code") {
    const lang = await getLang(request);
    const sent = await sendDownloadCode(context.services.database.db, context.services.config.sessionSecret, { requestId: view.id, to: view.contactEmail, lang, clientKey: clientKeyOf(context) });
    if (!sent.ok) return data<Outcome>({ downloadError: "rateLimited" }, { status: 429 });
    await sendQueuedMail(context, [sent.outboxId]);
    return { done: "download-code-sent" } satisfies Outcome;
  }
  if (intent === "download-prove") {
    const code = codeSchema.safeParse(formText(form, "downloadCode") ?? "");
    const check = code.success ? await proveDownloadCode(context.services.database.db, context.services.config.sessionSecret, view.id, code.data) : "wrong";
    if (check !== "ok") return data<Outcome>({ downloadError: check === "locked" ? "locked" : "code" }, { status: 400 });
    const person = await getPerson(request, context.services.config);
    unlockDownloads(person, view.id);
    return redirect(`/vorgang/${view.reference}#antwort`, { headers: { "Set-Cookie": await commitPerson(person, context.services.config) } });
  }

  if (intent === "archive-password") {
    const { config } = context.services;
    const person = await getPerson(request, config);
    if (!downloadsUnlocked(person, view.id)) return data<Outcome>({ downloadError: "notUnlocked" }, { status: 403 });
    const password = archivePassword(config.sessionSecret, view.id, newArchiveNonce(person, view.id));
    return data<Outcome>({ done: "archive-password", archivePassword: password }, { headers: { "Set-Cookie": await commitPerson(person, config), "Cache-Control": "no-store" } });
  }

  const identifierId = formText(form, "identifier");
  if ((intent === "identifier-code" || intent === "identifier-prove") && (!isUuid(identifierId) || !view.identifiers.some((i) => i.id === identifierId))) {
    return data<Outcome>({ error: "badForm" }, { status: 400 });
  }
  if (intent === "identifier-code") {
    const sent = await sendIdentifierCode(deps, { requestId: view.id, identifierId: identifierId!, clientKey: clientKeyOf(context) });
    if (!sent.ok) return data<Outcome>({ error: sent.reason === "rate-limited" ? "rateLimited" : "badForm" }, { status: sent.reason === "rate-limited" ? 429 : 400 });
    await sendQueuedMail(context, sent.outboxIds);
    return { done: "code-sent", identifierId: identifierId! } satisfies Outcome;
  }
  if (intent === "identifier-prove") {
    const code = codeSchema.safeParse(formText(form, `code-${identifierId}`) ?? "");
    if (!code.success) return data<Outcome>({ error: "code", field: `code-${identifierId}`, identifierId: identifierId! }, { status: 400 });
    const check = await proveIdentifier(deps, { requestId: view.id, identifierId: identifierId!, code: code.data });
    if (check !== "ok") {
      const key = check === "wrong" ? "codeWrong" : check === "locked" ? "codeLocked" : "codeExpired";
      return data<Outcome>({ error: key, field: `code-${identifierId}`, identifierId: identifierId! }, { status: 400 });
    }
    return { done: "identifier-proven" } satisfies Outcome;
  }
  return data<Outcome>({ error: "badForm" }, { status: 400 });
}

export default function CasePage({ loaderData }: Route.ComponentProps) {
  const j = useMessages().journey;
  const otherProof = useMessages().review.person.otherProof;
  const lang = useLang();
  const [search] = useSearchParams();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const errorText = useErrorText();
  const { view, changeable, answers, downloadsUnlocked: unlocked, recipientsTold, tlfdiDemand } = loaderData;
  const complaints = useMessages().complaints;
  const representation = useMessages().representation;
  const complaintEvents = complaints.events as Record<string, string>;
  const message = errorText(outcome?.error);
  const title = j.case.title(view.reference);
  const errorFor = (field: string) => (outcome?.field === field ? message : undefined);

  return (
    <>
      <PageTitle title={title} />
      <h1>{title}</h1>
      {view.filedFor ? (
        <p className="lead" data-testid="filed-for">
          {view.filedFor.name
            ? representation.filedFor(view.filedFor.name, representation.roles[view.filedFor.role])
            : representation.filedForUnnamed(representation.roles[view.filedFor.role])}
        </p>
      ) : null}
      {search.has("bestaetigt") ? (
        <p className="success" role="status">
          {j.case.proven}
        </p>
      ) : null}
      {outcome?.done === "added" ? <p className="success" role="status">{j.case.added}</p> : null}
      {outcome?.done === "withdrawn" ? <p className="success" role="status">{j.case.withdrawn}</p> : null}
      {outcome?.done === "code-sent" ? <p className="success" role="status">{j.confirm.intro}</p> : null}
      <ErrorSummary errors={message ? [{ name: outcome?.field ?? "", message }] : []} />

      <h2>{j.case.facts}</h2>
      <dl className="facts">
        <dt>{j.cases.reference}</dt>
        <dd>{view.reference}</dd>
        <dt>{j.cases.kinds}</dt>
        <dd>{kindList(view.kinds, lang)}</dd>
        <dt>{j.cases.status}</dt>
        <dd>{j.status[view.status] ?? j.status.other}</dd>
        <dt>{j.cases.receivedAt}</dt>
        <dd>{view.receivedAt ? j.formatDate(view.receivedAt) : "–"}</dd>
        <dt>{j.cases.deadline}</dt>
        <dd data-testid="deadline">{view.deadline ? j.formatDate(view.deadline) : "–"}</dd>
        {view.extendedDeadline ? (
          <>
            <dt>{j.case.extendedDeadline}</dt>
            <dd>{j.formatDate(view.extendedDeadline)}</dd>
            <dt>{j.case.extensionReason}</dt>
            <dd>{view.extensionReason ?? "–"}</dd>
          </>
        ) : null}
      </dl>
      <p className="note">{j.case.deadlineNote}</p>

      <h2>{j.case.timeline}</h2>
      <ol className="timeline">
        {view.timeline.map((event, index) => (
          <li key={`${event.action}-${index}`}>
            <time dateTime={event.at}>{j.formatDateTime(event.at)}</time>: {j.events[event.action] ?? complaintEvents[event.action] ?? event.action}
          </li>
        ))}
      </ol>

      <p>
        <Link to={`/vorgang/${view.reference}/beschwerde`}>{complaints.page.link}</Link>
      </p>
      {answers.length > 0 || caseAsksFor(view.kinds, "answer") ? (
        <>
          <h2 id="antwort">{j.case.downloads}</h2>
          <AnswerDownloads reference={view.reference} answers={answers} unlocked={unlocked} outcome={outcome} refusal={search.get("antwort")} />
        </>
      ) : null}
      {caseAsksFor(view.kinds, "carry-out") && answers.length === 0 ? <OutcomeNote text={j.case.outcomeByMessage} /> : null}
      {caseAsksFor(view.kinds, "forward") ? <OutcomeNote text={j.case.complaintNext(supervisoryAuthority.name[lang])} /> : null}
      {recipientsTold.length > 0 ? <RecipientsTold recipients={recipientsTold} /> : null}
      <TlfdiDemand offer={tlfdiDemand} />

      <h2>{j.case.messages}</h2>
      {view.messages.length === 0 ? (
        <p>{j.case.noMessages}</p>
      ) : (
        <ul className="messages">
          {view.messages.map((msg, index) => (
            <li key={index} className="card">
              <p className="note">
                {msg.direction === "from-person" ? j.case.fromYou : j.case.fromUs}, <time dateTime={msg.at}>{j.formatDateTime(msg.at)}</time>
              </p>
              {msg.body ? <p className="message-body">{msg.body}</p> : null}
              {msg.attachments.length > 0 ? <p>📎 {msg.attachments.join(", ")}</p> : null}
            </li>
          ))}
        </ul>
      )}

      <h2>{j.case.identifiers}</h2>
      <ul>
        {view.identifiers.map((identifier) => (
          <li key={identifier.id}>
            {identifier.value} ({identifier.proven ? j.case.provenMark : j.case.unproven})
            {identifier.kind === "email" && !identifier.proven && changeable ? (
              <div className="identifier-proof">
                <Form method="post">
                  <input type="hidden" name="identifier" value={identifier.id} />
                  <button type="submit" className="button button--secondary" name="intent" value="identifier-code">
                    {j.confirm.resend}
                  </button>
                </Form>
                {outcome?.identifierId === identifier.id ? (
                  <Form method="post">
                    <input type="hidden" name="identifier" value={identifier.id} />
                    <TextField name={`code-${identifier.id}`} label={j.confirm.code} hint={j.confirm.codeHint} required inputMode="numeric" autoComplete="one-time-code" maxLength={12} error={errorFor(`code-${identifier.id}`)} />
                    <button type="submit" className="button" name="intent" value="identifier-prove">
                      {j.confirm.submit}
                    </button>
                  </Form>
                ) : null}
              </div>
            ) : null}
            {/* No code reaches a phone number, an IP address or a user name: the person is told how else. */}
            {identifier.kind !== "email" && !identifier.proven && changeable ? <p className="hint">{otherProof}</p> : null}
          </li>
        ))}
      </ul>

      {changeable ? (
        <>
          <h2>{j.case.addTitle}</h2>
          <Form method="post" encType="multipart/form-data">
            <Honeypot />
            <TextField name="text" label={j.case.addText} multiline maxLength={5000} error={errorFor("text")} />
            <div className={errorFor("document") ? "field field--invalid" : "field"}>
              <label htmlFor="f-document">{j.case.addFile}</label>
              <span className="hint" id="f-document-hint">
                {j.case.addFileHint}
              </span>
              {errorFor("document") ? (
                <p className="field-error" id="f-document-error">
                  {errorFor("document")}
                </p>
              ) : null}
              <input
                type="file"
                id="f-document"
                name="document"
                accept="application/pdf,image/png,image/jpeg"
                aria-describedby={errorFor("document") ? "f-document-hint f-document-error" : "f-document-hint"}
              />
            </div>
            <button type="submit" className="button" name="intent" value="add">
              {j.case.addSubmit}
            </button>
          </Form>

          <h2>{j.case.withdrawTitle}</h2>
          <p>{j.case.withdrawText}</p>
          <Form method="post">
            <Honeypot />
            <div className={errorFor("confirm") ? "choice field--invalid" : "choice"} id="f-confirm-wrap">
              <input type="checkbox" id="f-confirm" name="confirm" value="yes" aria-describedby={errorFor("confirm") ? "f-confirm-error" : undefined} />
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
      ) : null}

      <p>
        <Link to="/vorgang">{j.case.back}</Link>
      </p>
    </>
  );
}

/** Downloads of a released answer: unlocked by a fresh code, shown with how long they stay available. */
function AnswerDownloads({
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
              <a href={`/vorgang/${reference}/antwort/brief.pdf`}>
                {d.files.letter}
              </a>
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
          <EncryptedDownloads reference={reference} portability={portability} password={outcome?.archivePassword} wrongPassword={refusal === "passwort"} />
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
          <Form method="post">
            <input type="hidden" name="intent" value="download-prove" />
            <div className="field">
              <label htmlFor="f-downloadCode">{d.code}</label>
              <input id="f-downloadCode" name="downloadCode" inputMode="numeric" autoComplete="one-time-code" maxLength={12} required />
            </div>
            <button className="button" type="submit">
              {d.unlock}
            </button>
          </Form>
        </>
      )}
    </>
  );
}

/**
 * The archives with AES-256: a password made on request and shown once. The person types it back to
 * download, so that nobody ends up with an archive they cannot open.
 */
function EncryptedDownloads({ reference, portability, password, wrongPassword }: { reference: string; portability: boolean; password: string | undefined; wrongPassword: boolean }) {
  const d = useMessages().delivery.encrypted;
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
            {d.password} <code className="archive-password" data-testid="archive-password">{password}</code>
          </p>
          <p>{d.onceOnly}</p>
          {/* A native form post: the answer comes back as a file, which the browser saves. */}
          <Form method="post" action={archiveUrl("auskunft.zip")} reloadDocument>
            <div className="field">
              <label htmlFor="archive-password-typed">{d.typeBack}</label>
              <input id="archive-password-typed" name="password" type="text" required autoComplete="off" spellCheck={false} autoCapitalize="off" maxLength={64} />
            </div>
            <button className="button" type="submit">
              {d.archive}
            </button>{" "}
            {portability ? (
              <button className="button button--secondary" type="submit" formAction={archiveUrl("datenuebertragung.zip")}>
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

/** Art. 19 sentence 2: whom the data centre told of the changes to the person's data. */
function RecipientsTold({ recipients }: { recipients: { recipient: string; action: string; processingActivityId: string; at: string; omittedReason: string | null }[] }) {
  const messages = useMessages();
  const lang = useLang();
  const d = messages.delivery;
  const actions = messages.execution.notice.actions as Record<string, string>;
  return (
    <section aria-labelledby="empfaenger">
      <h2 id="empfaenger">{d.recipientsTitle}</h2>
      <p>{d.recipientsIntro}</p>
      <ul className="plain-list">
        {recipients.map((r) => (
          <li key={`${r.recipient}-${r.action}-${r.at}`}>
            {r.recipient} – {processingActivityById[r.processingActivityId as ProcessingActivityId]?.name[lang] ?? r.processingActivityId}: {actions[r.action] ?? r.action},{" "}
            {messages.journey.formatDate(r.at)}
            {r.omittedReason ? ` (${d.recipientNotTold(r.omittedReason)})` : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
