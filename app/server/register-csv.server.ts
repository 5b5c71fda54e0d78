/**
 * The register of requests (Art. 5(2) DS-GVO accountability): one row per case received in a
 * period, for the DPO's own checks and for the supervisory authority.
 *
 * Dialect, chosen for the CSV import of spreadsheet programs set to German:
 * - UTF-8 with a byte-order mark: Excel reads a CSV without one as Windows-1252 and garbles umlauts;
 *   LibreOffice Calc and Numbers recognise the mark as well.
 * - Semicolon as separator: German Excel opens a double-clicked CSV with the list separator of the
 *   German locale, which is ";" (the comma is the decimal separator there).
 * - RFC 4180 quoting, CRLF line ends: every text field is in double quotes, a quote inside is doubled.
 *   Quoting all text also keeps a field like "Auskunft, Löschung" whole if someone imports with the
 *   comma ticked as a further separator. Numbers stay unquoted so that they are read as numbers.
 * - Dates as YYYY-MM-DD (Berlin calendar days), which both Excel and Calc recognise as dates.
 * - A text cell that starts with =, +, -, @ or a control character gets a leading apostrophe, so no
 *   spreadsheet takes a display name for a formula (CSV injection).
 */
import { and, between, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client";
import { findingDecisions, gatherRuns, requests, reviewRounds, staffUsers } from "#db/schema";
import { berlinDayOf } from "../core/berlin-date";
import { csvLines, UTF8_BOM } from "../core/csv";
import { type RequestKindSlug, requestKindBySlug } from "../core/request-kinds";
import { isRestrictionGroundId, restrictionGroundIds, restrictionGrounds } from "../core/restriction-grounds";
import { type Lang, messagesFor } from "../i18n";
import { appendAuditEvent } from "./audit.server";
import { answerReachedAt, daysToAnswer } from "./statistics/figures";
import { outcomeLetterColumns, outcomeLetterOf } from "./statistics/statistics.server";
import { type Period, periodEnd, periodStart } from "./statistics/period";

export const REGISTER_CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
export const REGISTER_CSV_DELIMITER = ";";

export interface RegisterRow {
  reference: string;
  receivedAt: Date;
  channel: string;
  kinds: readonly string[];
  provenAt: Date | null;
  status: string;
  deadline: Date | null;
  extendedDeadline: Date | null;
  /** When the answer reached the person: for a letter its dispatch day; null while it waits (as the dashboard counts). */
  answeredAt: Date | null;
  /** Withhold and redact decisions of the case's latest approved review round. */
  restrictions: { decision: string; groundId: string | null }[];
  reviewer: string | null;
  approver: string | null;
}

/** Reads the register rows of the cases received in the period, oldest first. */
export async function loadRegisterRows(db: Db, period: Period): Promise<RegisterRow[]> {
  const cases = await db
    .select({
      id: requests.id,
      reference: requests.reference,
      receivedAt: requests.receivedAt,
      channel: requests.channel,
      kinds: requests.kinds,
      provenAt: requests.provenAt,
      status: requests.status,
      deadline: requests.deadline,
      extendedDeadline: requests.extendedDeadline,
      answeredAt: requests.answeredAt,
      ...outcomeLetterColumns,
    })
    .from(requests)
    .where(
      and(
        isNotNull(requests.reference),
        between(requests.receivedAt, periodStart(period), periodEnd(period)),
      ),
    )
    .orderBy(requests.receivedAt, requests.reference);
  if (cases.length === 0) return [];

  const proposer = alias(staffUsers, "proposer");
  const approver = alias(staffUsers, "approver");
  const rounds = await db
    .select({
      id: reviewRounds.id,
      requestId: gatherRuns.requestId,
      reviewer: proposer.displayName,
      approver: approver.displayName,
    })
    .from(reviewRounds)
    .innerJoin(gatherRuns, eq(gatherRuns.id, reviewRounds.runId))
    .leftJoin(proposer, eq(proposer.id, reviewRounds.proposedBy))
    .leftJoin(approver, eq(approver.id, reviewRounds.decidedBy))
    .where(
      and(
        eq(reviewRounds.status, "approved"),
        inArray(
          gatherRuns.requestId,
          cases.map((c) => c.id),
        ),
      ),
    )
    .orderBy(desc(reviewRounds.decidedAt));
  // Ordered newest first: the first round seen per case is the one its answer rests on.
  const latestRound = new Map<string, (typeof rounds)[number]>();
  for (const round of rounds) if (!latestRound.has(round.requestId)) latestRound.set(round.requestId, round);

  const roundIds = [...latestRound.values()].map((r) => r.id);
  const decisions =
    roundIds.length === 0
      ? []
      : await db
          .select({
            roundId: findingDecisions.roundId,
            decision: findingDecisions.decision,
            groundId: findingDecisions.groundId,
          })
          .from(findingDecisions)
          .where(
            and(
              inArray(findingDecisions.roundId, roundIds),
              inArray(findingDecisions.decision, ["withhold", "redact"]),
            ),
          );

  return cases.map(({ byLetter, dispatchedOn, ...c }) => {
    const round = latestRound.get(c.id);
    return {
      ...c,
      answeredAt: answerReachedAt({
        answeredAt: c.answeredAt,
        outcomeLetter: outcomeLetterOf({ byLetter, dispatchedOn }),
      }),
      reference: c.reference!,
      receivedAt: c.receivedAt!,
      restrictions: round
        ? decisions
            .filter((d) => d.roundId === round.id)
            .map(({ decision, groundId }) => ({ decision, groundId }))
        : [],
      reviewer: round?.reviewer ?? null,
      approver: round?.approver ?? null,
    };
  });
}

const day = (value: Date | null) => (value ? berlinDayOf(value) : "");

/**
 * The grounds a case's restrictions rest on, each once, in the catalogue's order (an unknown id
 * after them): the decisions come from the database in no set order, and the same register must
 * read the same on every export.
 */
function groundReferences(restrictions: RegisterRow["restrictions"]): string {
  const rank = (id: string | null) =>
    isRestrictionGroundId(id) ? restrictionGroundIds.indexOf(id) : restrictionGroundIds.length;
  return [...new Set(restrictions.map((r) => r.groundId))]
    .sort((a, b) => rank(a) - rank(b) || (a ?? "").localeCompare(b ?? ""))
    .map((id) => (isRestrictionGroundId(id) ? restrictionGrounds[id].reference : (id ?? "–")))
    .join(", ");
}

/** The register as CSV text (with BOM) in the dialect described at the top of this module. */
export function registerCsv(rows: readonly RegisterRow[], lang: Lang): string {
  const m = messagesFor(lang);
  const h = m.dashboard.register.columns;
  const header = [
    h.reference,
    h.received,
    h.channel,
    h.kinds,
    h.proven,
    h.status,
    h.deadline,
    h.extended,
    h.answered,
    h.daysToAnswer,
    h.restrictions,
    h.grounds,
    h.reviewer,
    h.approver,
  ];
  const records = rows.map((r) => [
    r.reference,
    day(r.receivedAt),
    m.staff.cases.channels[r.channel] ?? r.channel,
    r.kinds.map((k) => requestKindBySlug[k as RequestKindSlug]?.label[lang] ?? k).join(", "),
    day(r.provenAt),
    m.staff.cases.statuses[r.status] ?? r.status,
    day(r.deadline),
    day(r.extendedDeadline),
    day(r.answeredAt),
    r.answeredAt ? daysToAnswer(r.receivedAt, r.answeredAt) : "",
    r.restrictions.length,
    groundReferences(r.restrictions),
    r.reviewer ?? "",
    r.approver ?? "",
  ]);
  return (
    UTF8_BOM +
    csvLines([header, ...records], {
      delimiter: REGISTER_CSV_DELIMITER,
      quoteText: true,
      escapeFormulas: true,
    })
  );
}

function registerFileName(period: Period): string {
  return `antragsverzeichnis_${period.from}_${period.to}.csv`;
}

/** The register for a download: who took it, for which period, is kept in the audit trail (§ 51 ThürDSG). */
export async function exportRegister(
  db: Db,
  staffId: string,
  period: Period,
  lang: Lang,
): Promise<{ fileName: string; csv: string }> {
  const rows = await loadRegisterRows(db, period);
  await appendAuditEvent(db, {
    actorType: "staff",
    actorId: staffId,
    action: "statistics.register-exported",
    data: { from: period.from, to: period.to, cases: rows.length },
  });
  return { fileName: registerFileName(period), csv: registerCsv(rows, lang) };
}
