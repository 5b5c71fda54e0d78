import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  answers,
  findingDecisions,
  findings,
  gatherRuns,
  gatherStoreJobs,
  requestIdentifiers,
  requests,
  reviewRounds,
} from "#db/schema";
import { type IdentifierKind, identifierKinds } from "#app/core/identifier-kinds";
import type { Lang } from "#app/core/languages";
import type { RequestKindSlug } from "#app/core/request-kinds";
import { contentHashOf, runStoreJob, startGather } from "#app/server/gather/gather.server";
import { newReference } from "#app/server/requests/reference.server";
import type { Services } from "#app/server/services.server";
import type { AnswerKeyPerson } from "#app/sources/sample/answer-key";
import { queuedByHand } from "./jobs";

/**
 * A proven web request of a person of a generated sample, gathered in every store of the services'
 * registry by the real gathering: each store job is run here, one after the other, instead of by
 * pg-boss. `identifiers` are the kinds of the person's identifiers the case carries (all by default),
 * each proven `at`.
 */
export async function gatheredCase(
  services: Pick<Services, "db" | "sources">,
  person: AnswerKeyPerson,
  kinds: RequestKindSlug[],
  {
    at,
    lang = "de",
    identifiers = identifierKinds,
  }: { at: Date; lang?: Lang; identifiers?: readonly IdentifierKind[] },
): Promise<{ requestId: string; runId: string }> {
  const { db, sources } = services;
  const [request] = await db
    .insert(requests)
    .values({
      status: "received",
      kinds,
      channel: "web",
      lang,
      reference: await newReference(db, at.getUTCFullYear()),
      contactEmail: person.identifiers.emails[0]!,
      provenAt: at,
      receivedAt: at,
    })
    .returning({ id: requests.id });
  const requestId = request!.id;
  await db
    .insert(requestIdentifiers)
    .values(
      identifierRows(requestId, person.identifiers, { provenAt: at }).filter((row) =>
        identifiers.includes(row.kind),
      ),
    );
  const runId = await startGather({ db, sources, jobs: queuedByHand() }, requestId, null);
  for (const job of await db.select().from(gatherStoreJobs).where(eq(gatherStoreJobs.runId, runId)))
    await runStoreJob({ db, sources }, job.id);
  return { requestId, runId };
}

/**
 * An access request received on the web for `identifiers`, its address proven now and the other
 * identifiers unproven, not yet gathered; returns its id. For tests that gather several cases at once.
 */
export async function receivedAccessRequest(
  db: Db,
  identifiers: AnswerKeyPerson["identifiers"],
): Promise<string> {
  const [request] = await db
    .insert(requests)
    .values({
      status: "received",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: identifiers.emails[0]!,
      provenAt: new Date(),
      receivedAt: new Date(),
    })
    .returning({ id: requests.id });
  await db
    .insert(requestIdentifiers)
    .values(identifierRows(request!.id, identifiers, { provenAt: new Date(), proven: ["email"] }));
  return request!.id;
}

/** A received access request of a person known only by one proven address, new each time (`label` in it). */
export function receivedAccessRequestByAddress(db: Db, label: string): Promise<string> {
  return receivedAccessRequest(db, {
    emails: [`${label}-${randomUUID()}@example.org`],
    names: [],
    phones: [],
    userNames: [],
    ips: [],
    birthDate: "1980-01-01",
    postalAddresses: [],
  });
}

/**
 * The identifier rows of a case for a sample person's identifiers, each stored as given
 * (`normalized` is the value): the kinds in `proven` proven at `provenAt`, the others unproven.
 */
export function identifierRows(
  requestId: string,
  ids: AnswerKeyPerson["identifiers"],
  { provenAt, proven = identifierKinds }: { provenAt: Date; proven?: readonly IdentifierKind[] },
): (typeof requestIdentifiers.$inferInsert)[] {
  const rows: Pick<typeof requestIdentifiers.$inferInsert, "kind" | "value" | "validFrom" | "validTo">[] = [
    ...ids.emails.map((value) => ({ kind: "email" as const, value })),
    ...ids.names.map((value) => ({ kind: "name" as const, value })),
    ...ids.phones.map((value) => ({ kind: "phone" as const, value })),
    ...ids.userNames.map((value) => ({ kind: "user-name" as const, value })),
    ...ids.postalAddresses.map((value) => ({ kind: "postal-address" as const, value })),
    ...ids.ips.map((w) => ({
      kind: "ip" as const,
      value: w.address,
      validFrom: new Date(w.from),
      validTo: new Date(w.to),
    })),
    ...(ids.birthDate ? [{ kind: "birth-date" as const, value: ids.birthDate }] : []),
  ];
  return rows.map((row) => ({
    ...row,
    requestId,
    normalized: row.value,
    provenAt: proven.includes(row.kind) ? provenAt : null,
  }));
}

/**
 * A web case ready for review: its gathering (run `version`) found one record of the support
 * mailbox (maildir, processing activity "email") per content, refs support/cur/0000, 0001, …;
 * the finding ids in that order. With `requestId` the run is added to that case instead.
 */
export async function caseReadyForReview(
  db: Db,
  contents: Record<string, unknown>[],
  { requestId, version = 1 }: { requestId?: string; version?: number } = {},
): Promise<{ requestId: string; runId: string; findingIds: string[] }> {
  const caseId =
    requestId ??
    (
      await db
        .insert(requests)
        .values({
          status: "review",
          kinds: ["auskunft"],
          channel: "web",
          contactEmail: "erika@example.org",
          reference: `DSR-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
          receivedAt: new Date(),
        })
        .returning({ id: requests.id })
    )[0]!.id;
  const [run] = await db.insert(gatherRuns).values({ requestId: caseId, version }).returning();
  const rows = await db
    .insert(findings)
    .values(
      contents.map((content, i): typeof findings.$inferInsert => ({
        runId: run!.id,
        store: "mail-support",
        storeKind: "maildir",
        processingActivityId: "email",
        ref: `support/cur/${String(i).padStart(4, "0")}`,
        flags: [],
        unproven: false,
        matched: {},
        content,
        contentHash: contentHashOf(content),
      })),
    )
    .returning({ id: findings.id, ref: findings.ref });
  rows.sort((a, b) => a.ref.localeCompare(b.ref));
  return { requestId: caseId, runId: run!.id, findingIds: rows.map((r) => r.id) };
}

/**
 * The case answered and its access answer released as the four-eyes review leaves it (the review
 * itself is tested elsewhere): a frozen gathering, an approved round, the answer available 90 days.
 */
export async function releasedAnswer(
  db: Db,
  { requestId, staffId, answeredAt }: { requestId: string; staffId: string; answeredAt: Date },
): Promise<void> {
  await db.update(requests).set({ status: "answered", answeredAt }).where(eq(requests.id, requestId));
  const [run] = await db
    .insert(gatherRuns)
    .values({ requestId, version: 1, frozenAt: answeredAt })
    .returning();
  const [round] = await db
    .insert(reviewRounds)
    .values({ runId: run!.id, status: "approved", decidedAt: answeredAt })
    .returning();
  await db.insert(answers).values({
    requestId,
    roundId: round!.id,
    kind: "access",
    answeredAt,
    availableUntil: new Date(Date.now() + 90 * 86_400_000),
    releasedBy: staffId,
  });
}

/**
 * The case's access answer released after a four-eyes review that withheld one finding (§ 21(5)
 * secrecy, the reasons omitted from the letter): the approved round over `runId`, proposed and
 * decided by `staffId`, the decision on the finding's content as it was, and the answer available
 * 90 days from `at`. What the browser tests of a withheld record start from.
 */
export async function releasedWithWithheldFinding(
  db: Db,
  {
    requestId,
    runId,
    findingId,
    staffId,
    at,
  }: { requestId: string; runId: string; findingId: string; staffId: string; at: Date },
): Promise<void> {
  const [round] = await db
    .insert(reviewRounds)
    .values({
      runId,
      status: "approved",
      proposedBy: staffId,
      proposedAt: at,
      decidedBy: staffId,
      decidedAt: at,
    })
    .returning();
  const [finding] = await db.select().from(findings).where(eq(findings.id, findingId));
  await db.insert(findingDecisions).values({
    roundId: round!.id,
    findingId,
    decision: "withhold",
    groundId: "secrecy",
    reasoning: "Geheimhaltung geboten.",
    omitReasons: true,
    contentHash: finding!.contentHash,
    decidedBy: staffId,
  });
  await db.insert(answers).values({
    requestId,
    roundId: round!.id,
    kind: "access",
    answeredAt: at,
    availableUntil: new Date(at.getTime() + 90 * 86_400_000),
    releasedBy: staffId,
  });
}
