import { useEffect } from "react";
import { Form, data, redirect, useActionData, useLoaderData, useRevalidator } from "react-router";
import type { Route } from "./+types/vorgang";
import { processingActivityById } from "../../core/processing-activities";
import { requestKindBySlug } from "../../core/request-kinds";
import { restrictionGroundIds, restrictionGrounds } from "../../core/restriction-grounds";
import { useLocalized, useMessages } from "../../i18n";
import { requireFreshTotp, requirePermission, requireStaff } from "../../server/auth/staff.server";
import { decisionOf, freshCodeIntents, intentPermission, parseCaseIntent, recordRefusal } from "../../server/cases/case-actions.server";
import { assignCase, caseExists, loadStaffCase } from "../../server/cases/case-detail.server";
import { assignableStaff } from "../../server/cases/case-list.server";
import { extendDeadline, refuseRequest } from "../../server/cases/deadline-decisions.server";
import { gatherDepsOf, retryStore, startGather } from "../../server/gather/gather.server";
import { isUuid, readForm } from "../../server/requests/http.server";
import { ReviewRefused, approve, decide, openReview, propose, sendBack } from "../../server/review/review.server";
import { PageTitle } from "../../ui/page-title";
import { answersOf, releaseAnswer } from "../../server/delivery/delivery.server";
import { announceMail } from "../../server/mail/mail-jobs.server";

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  const found = isUuid(params.id) ? await loadStaffCase(context.services.database.db, params.id) : null;
  if (!found) throw data(null, { status: 404 });
  const { db } = context.services.database;
  return { ...found, answers: await answersOf(db, found.request.id), staff: await assignableStaff(db), me: { id: staff.id, permissions: [...staff.permissions] } };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const staff = await requireStaff(request, context, "case:read");
  if (!isUuid(params.id)) throw data(null, { status: 404 });
  const requestId = params.id;
  const form = await readForm(request);
  const intent = form ? parseCaseIntent(form) : null;
  if (!intent) {
    await recordRefusal(context.services.database.db, staff.id, requestId, "invalid-form");
    return data({ error: "invalid" }, { status: 400 });
  }
  await requirePermission(context, staff, intentPermission[intent.intent], request);
  if (freshCodeIntents.has(intent.intent)) requireFreshTotp(staff, request);
  const { services } = context;
  const { db } = services.database;
  if (!(await caseExists(db, requestId))) throw data(null, { status: 404 });
  const gatherDeps = gatherDepsOf(services);
  try {
    switch (intent.intent) {
      case "assign":
        if (!(await assignCase(db, staff, requestId, intent.assigneeId || null))) return data({ error: "invalid" }, { status: 400 });
        break;
      case "gather":
        await startGather(gatherDeps, requestId, staff.id);
        break;
      case "retry":
        if (!(await retryStore(gatherDeps, requestId, intent.storeJobId, staff.id))) return data({ error: "invalid" }, { status: 409 });
        break;
      case "open-review":
        await openReview(db, staff, requestId);
        break;
      case "decide":
        await decide(db, staff, requestId, intent.roundId, intent.findingIds, decisionOf(intent));
        break;
      case "propose":
        await propose(db, staff, requestId, intent.roundId);
        break;
      case "approve":
        await approve(db, staff, requestId, intent.roundId);
        break;
      case "send-back":
        await sendBack(db, staff, requestId, intent.roundId, intent.comment);
        break;
      case "extend": {
        const result = await extendDeadline(db, staff, { requestId, months: intent.months === "2" ? 2 : 1, reasons: intent.reasons, publicUrl: services.config.publicUrl });
        if (!result.ok) return data({ error: result.reason }, { status: 409 });
        await announceMail(services.jobs, [result.outboxId]);
        break;
      }
      case "refuse": {
        const result = await refuseRequest(db, staff, { requestId, ground: intent.ground, reasons: intent.reasons, publicUrl: services.config.publicUrl });
        if (!result.ok) return data({ error: result.reason }, { status: 409 });
        await announceMail(services.jobs, [result.outboxId]);
        break;
      }
      case "release-answer": {
        const result = await releaseAnswer(db, staff, requestId, services.config);
        if (!result.ok) return data({ error: result.reason }, { status: 409 });
        await announceMail(services.jobs, [result.outboxId]);
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof ReviewRefused)) throw error;
    await recordRefusal(db, staff.id, requestId, error.reason);
    return data({ error: error.reason }, { status: error.reason === "not-permitted" ? 403 : 409 });
  }
  // Post/redirect/get: a reload does not repeat the action.
  return redirect(`/intern/vorgaenge/${requestId}`);
}

export default function StaffCase() {
  const m = useMessages();
  const t = m.staff.case;
  const localized = useLocalized();
  const loaded = useLoaderData<typeof loader>();
  const { request, identifiers, gathering, round, findings, me } = loaded;
  const result = useActionData<typeof action>();
  const may = (permission: string) => me.permissions.includes(permission as never);
  const running = gathering?.stores.some((s) => s.status === "queued" || s.status === "running") ?? false;
  useLiveProgress(running);
  const deadline = request.extendedDeadline ?? request.deadline;
  const editable = round?.status === "open";
  return (
    <article>
      <PageTitle title={`${request.reference} – ${m.staff.cases.title}`} />
      <p>
        <a href="/intern/vorgaenge">{t.back}</a>
      </p>
      <h1>{request.reference}</h1>
      {result && "error" in result ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>{t.errors[result.error] ?? t.errors.invalid}</p>
        </div>
      ) : null}

      <ul className="plain-list">
        <li>
          <a href={`/intern/vorgaenge/${request.id}/umsetzung`}>{m.execution.title}</a>
        </li>
        {may("tlfdi:record") ? (
          <li>
            <a href={`/intern/vorgaenge/${request.id}/tlfdi-nachweis`} download>
              {m.complaints.record.download}
            </a>
          </li>
        ) : null}
      </ul>
      <h2>{t.facts}</h2>
      <dl className="facts">
        <dt>{m.staff.cases.kind}</dt>
        <dd>{request.kinds.map((k) => localized(requestKindBySlug[k as keyof typeof requestKindBySlug]?.label ?? { de: k, en: k })).join(", ")}</dd>
        <dt>{m.staff.cases.status}</dt>
        <dd>{m.staff.cases.statuses[request.status] ?? request.status}</dd>
        <dt>{m.staff.cases.channel}</dt>
        <dd>{m.staff.cases.channels[request.channel] ?? request.channel}</dd>
        <dt>{m.staff.cases.received}</dt>
        <dd>{request.receivedAt ? m.journey.formatDateTime(request.receivedAt) : "–"}</dd>
        <dt>{m.staff.cases.deadline}</dt>
        <dd>
          {deadline ? m.journey.formatDate(deadline) : "–"}
          {request.extendedDeadline ? ` (${m.staff.cases.extended}: ${request.extensionReason ?? ""})` : null}
        </dd>
        <dt>{m.staff.cases.assignee}</dt>
        <dd>{loaded.assignee ?? m.staff.cases.unassigned}</dd>
      </dl>
      {may("case:assign") ? (
        <Form method="post" className="filters">
          <input type="hidden" name="intent" value="assign" />
          <div className="field">
            <label htmlFor="f-assignee">{t.assignTo}</label>
            <select id="f-assignee" name="assigneeId" defaultValue={request.assigneeId ?? ""}>
              <option value="">{m.staff.cases.unassigned}</option>
              {loaded.staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.displayName}
                </option>
              ))}
            </select>
          </div>
          <button className="button button--secondary" type="submit">
            {t.assign}
          </button>
        </Form>
      ) : null}

      <h2>{t.identifiers}</h2>
      <ul className="plain-list">
        {identifiers.map((i) => (
          <li key={i.id}>
            {i.kind}: {i.value} ({i.provenAt ? t.proven : t.unprovenId})
          </li>
        ))}
      </ul>

      <h2>{t.gathering}</h2>
      {gathering ? (
        <>
          <p>
            {t.version(gathering.run.version)}
            {gathering.run.frozenAt ? ` – ${t.frozen}` : null}
          </p>
          {loaded.comparison ? (
            <p>{t.compared(loaded.comparison.previousVersion, loaded.comparison.added, loaded.comparison.removed, loaded.comparison.changed)}</p>
          ) : null}
          <table>
            <caption className="visually-hidden">{t.gathering}</caption>
            <thead>
              <tr>
                <th scope="col">{t.store}</th>
                <th scope="col">{t.state}</th>
                <th scope="col">{t.progress}</th>
                <th scope="col">{t.found}</th>
              </tr>
            </thead>
            <tbody>
              {gathering.stores.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.store}</th>
                  <td>
                    {t.storeStates[s.status] ?? s.status}
                    {s.error ? <p className="field-error">{s.error}</p> : null}
                    {s.status === "failed" && may("case:gather") && !gathering.run.frozenAt ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="retry" />
                        <input type="hidden" name="storeJobId" value={s.id} />
                        <button className="button button--secondary" type="submit">
                          {t.retry}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                  <td>
                    {s.progressTotal ? (
                      <progress max={s.progressTotal} value={s.progressScanned} aria-label={`${t.progress} ${s.store}`}>
                        {Math.round((100 * s.progressScanned) / s.progressTotal)} %
                      </progress>
                    ) : (
                      s.progressScanned || "–"
                    )}
                  </td>
                  <td>{s.findings}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {running ? (
            <p>
              <a href={`/intern/vorgaenge/${request.id}`}>{t.refresh}</a>
            </p>
          ) : null}
        </>
      ) : null}
      {may("case:gather") && !running ? (
        <Form method="post">
          <input type="hidden" name="intent" value="gather" />
          <button className="button button--secondary" type="submit">
            {gathering ? t.regather : t.startGather}
          </button>
        </Form>
      ) : null}

      <h2>{t.findings}</h2>
      {round ? (
        <p role="status">
          {t.roundStates[round.status] ?? round.status}
          {round.proposedByName ? ` – ${round.proposedByName}` : null}
          {round.decidedByName ? ` / ${round.decidedByName}` : null}
          {round.comment ? `: ${round.comment}` : null}
        </p>
      ) : null}
      {gathering && !running && (!round || round.status === "returned") && may("finding:propose") ? (
        <Form method="post">
          <input type="hidden" name="intent" value="open-review" />
          <button className="button" type="submit">
            {t.startReview}
          </button>
        </Form>
      ) : null}
      {findings.length === 0 ? (
        <p>{t.noFindings}</p>
      ) : (
        <Form method="post" id="decide-form">
          <input type="hidden" name="intent" value="decide" />
          {round ? <input type="hidden" name="roundId" value={round.id} /> : null}
          <table>
            <caption className="visually-hidden">{t.findings}</caption>
            <thead>
              <tr>
                <th scope="col">{t.select}</th>
                <th scope="col">{t.store}</th>
                <th scope="col">{t.suggestion}</th>
                <th scope="col">{t.decision}</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={f.id}>
                  <td>
                    <input type="checkbox" name="findingIds" value={f.id} id={`sel-${f.id}`} disabled={!editable} aria-label={`${t.select}: ${f.store} ${f.ref}`} />
                  </td>
                  <td>
                    <label htmlFor={`sel-${f.id}`}>
                      <strong>{f.store}</strong> – {localized(processingActivityById[f.processingActivityId as keyof typeof processingActivityById]?.name ?? { de: f.processingActivityId, en: f.processingActivityId })}
                    </label>
                    <div className="note">
                      {f.ref}
                      {f.recordedAt ? ` · ${m.journey.formatDateTime(f.recordedAt)}` : null}
                      {f.unproven ? ` · ${t.unprovenId}` : null}
                    </div>
                    <details>
                      <summary>{m.staff.cases.reference}</summary>
                      <pre className="finding-content">{JSON.stringify(f.content, null, 2)}</pre>
                    </details>
                  </td>
                  <td>
                    <ul className="plain-list">
                      {f.suggestions.map((s) => (
                        <li key={`${s.ground}-${s.action}`}>
                          {t.decisions[s.action] ?? s.action}: {localized(restrictionGrounds[s.ground].label)} ({restrictionGrounds[s.ground].reference})
                          {s.fields ? ` – ${s.fields.join(", ")}` : null}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {f.decision ? (
                      <>
                        {t.decisions[f.decision.decision]}
                        {f.decision.groundId ? ` – ${restrictionGrounds[f.decision.groundId as keyof typeof restrictionGrounds]?.reference ?? f.decision.groundId}` : null}
                        {f.decision.redactedFields.length ? ` (${f.decision.redactedFields.join(", ")})` : null}
                      </>
                    ) : (
                      t.undecided
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {editable && may("finding:propose") ? (
            <fieldset className="decision-panel">
              <legend>{t.decision}</legend>
              {(["release", "withhold", "redact"] as const).map((d) => (
                <div className="choice" key={d}>
                  <input type="radio" name="decision" value={d} id={`d-${d}`} defaultChecked={d === "release"} />
                  <label htmlFor={`d-${d}`}>{t.decisions[d]}</label>
                </div>
              ))}
              <div className="field">
                <label htmlFor="f-ground">{t.ground}</label>
                <select id="f-ground" name="groundId" defaultValue="">
                  <option value="">–</option>
                  {restrictionGroundIds.map((id) => (
                    <option key={id} value={id}>
                      {restrictionGrounds[id].reference}: {localized(restrictionGrounds[id].label)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="f-reasoning">{t.reasoning}</label>
                <textarea id="f-reasoning" name="reasoning" maxLength={4000} />
              </div>
              <div className="field">
                <label htmlFor="f-reviewOn">{t.reviewOn}</label>
                <input type="date" id="f-reviewOn" name="reviewOn" />
              </div>
              <div className="choice">
                <input type="checkbox" id="f-omit" name="omitReasons" />
                <label htmlFor="f-omit">{t.omitReasons}</label>
              </div>
              <div className="field">
                <label htmlFor="f-fields">{t.fields}</label>
                <input type="text" id="f-fields" name="fields" maxLength={500} />
              </div>
              <button className="button" type="submit">
                {t.applyDecision}
              </button>
            </fieldset>
          ) : null}
        </Form>
      )}
      {round && editable && may("finding:propose") ? (
        <Form method="post">
          <input type="hidden" name="intent" value="propose" />
          <input type="hidden" name="roundId" value={round.id} />
          <button className="button" type="submit">
            {t.propose}
          </button>
        </Form>
      ) : null}
      {round?.status === "proposed" && may("release:approve") ? (
        <div className="filters">
          <Form method="post">
            <input type="hidden" name="intent" value="approve" />
            <input type="hidden" name="roundId" value={round.id} />
            <button className="button" type="submit">
              {t.approve}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="send-back" />
            <input type="hidden" name="roundId" value={round.id} />
            <div className="field">
              <label htmlFor="f-comment">{t.sendBackComment}</label>
              <input type="text" id="f-comment" name="comment" maxLength={2000} required />
            </div>
            <button className="button button--secondary" type="submit">
              {t.sendBack}
            </button>
          </Form>
        </div>
      ) : null}

      {round?.status === "approved" && request.status !== "answered" && may("finding:propose") ? (
        <Form method="post">
          <input type="hidden" name="intent" value="release-answer" />
          <button className="button" type="submit">
            {m.delivery.release}
          </button>
        </Form>
      ) : null}
      {loaded.answers.length > 0 ? (
        <p>
          {m.delivery.released} <a href={`/intern/vorgaenge/${request.id}/brief.pdf`}>{m.delivery.paperLetter}</a>
        </p>
      ) : null}

      {may("deadline:extend") && !request.extendedDeadline && !request.closedAt ? (
        <Form method="post">
          <h2>{t.extend}</h2>
          <input type="hidden" name="intent" value="extend" />
          <fieldset>
            <legend>{t.extendMonths}</legend>
            <div className="choice">
              <input type="radio" name="months" value="1" id="m-1" defaultChecked />
              <label htmlFor="m-1">{t.oneMonth}</label>
            </div>
            <div className="choice">
              <input type="radio" name="months" value="2" id="m-2" />
              <label htmlFor="m-2">{t.twoMonths}</label>
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor="f-ext-reasons">{t.extendReasons}</label>
            <textarea id="f-ext-reasons" name="reasons" required minLength={20} maxLength={4000} />
          </div>
          <button className="button button--secondary" type="submit">
            {t.extendSubmit}
          </button>
        </Form>
      ) : null}
      {may("request:refuse") && !request.closedAt ? (
        <Form method="post">
          <h2>{t.refuse}</h2>
          <input type="hidden" name="intent" value="refuse" />
          <fieldset>
            <legend>{t.refuseGround}</legend>
            <div className="choice">
              <input type="radio" name="ground" value="unfounded" id="g-u" defaultChecked />
              <label htmlFor="g-u">{m.staff.notices.unfounded}</label>
            </div>
            <div className="choice">
              <input type="radio" name="ground" value="excessive" id="g-e" />
              <label htmlFor="g-e">{m.staff.notices.excessive}</label>
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor="f-ref-reasons">{t.refuseReasons}</label>
            <textarea id="f-ref-reasons" name="reasons" required minLength={20} maxLength={4000} />
          </div>
          <button className="button button--secondary" type="submit">
            {t.refuseSubmit}
          </button>
        </Form>
      ) : null}
    </article>
  );
}

/** While stores are still being searched, the page refreshes itself every two seconds (with JavaScript). */
function useLiveProgress(active: boolean) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (state === "idle") void revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [active, revalidate, state]);
}
