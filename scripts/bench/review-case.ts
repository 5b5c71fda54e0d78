/**
 * A large case under review, written straight into the database: a handler's account (with a known
 * password and TOTP secret, so the real sign-in pages can be used), a case whose gathering searched
 * every store completely, an open review round and `total` findings spread over the stores and the
 * rules' suggestions as a real case has them, a share of them already decided. Rows go in by the
 * thousand (one insert per batch), as the benchmark needs 20 000 of them in seconds.
 *
 * Used by `npm run bench -- review-20k` and the keyboard review browser test.
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client";
import {
  findingDecisions,
  findings,
  gatherRuns,
  gatherStoreJobs,
  requestIdentifiers,
  requests,
  reviewRounds,
} from "#db/schema";
import type { Suggestion } from "#app/core/suggestions";
import type { ReleasedFinding } from "#app/server/answers/answer-input";
import { createStaffAccount, syncRoles } from "#app/server/auth/staff-accounts.server";
import type { DemoAccount } from "#app/server/demo.server";
import { newTotpSecret } from "#app/server/auth/totp.server";
import { contentHashOf } from "#app/server/gather/gather.server";
import { Rng } from "#app/sources/sample/prng";
import { EMAIL, generatedFindings } from "./archive-person";

const BATCH = 2000;

export interface ReviewCase {
  requestId: string;
  runId: string;
  roundId: string;
  /** Shaped as a demo account, so the browser tests' sign-in helpers take it. */
  handler: DemoAccount;
  /** Findings per store, as seeded. */
  stores: Record<string, number>;
}

/** The rules' suggestions for a generated finding: the mix a real case shows (most without any). */
function suggestionsOf(rng: Rng, store: string, redact: string | undefined, unproven: boolean): Suggestion[] {
  const out: Suggestion[] = [];
  if (unproven) out.push({ ground: "identity-unconfirmed", action: "withhold" });
  if (redact) out.push({ ground: "third-party-rights", action: "redact", fields: [redact] });
  if ((store === "web-tsr" || store === "login-beaus") && rng.chance(0.5))
    out.push({ ground: "security-control-only", action: "consider" });
  if (store === "abrufprotokolle" && rng.chance(0.08))
    out.push({ ground: "authority-consent", action: "withhold" });
  if (rng.chance(0.01)) out.push({ ground: "information-block", action: "withhold" });
  return out;
}

export async function seedReviewCase(
  db: Db,
  {
    total,
    decidedShare = 0.3,
    seed = "review-case",
  }: { total: number; decidedShare?: number; seed?: string },
): Promise<ReviewCase> {
  await syncRoles(db);
  const handler = {
    userName: "bench-handler",
    displayName: "Bench Handler",
    role: "case-handler",
    password: "bench-handler-password",
    totpSecret: newTotpSecret(),
  };
  const handlerId = await createStaffAccount(db, {
    ...handler,
    email: "bench-handler@example.org",
    roles: ["case-handler"],
  });
  const receivedAt = new Date(Date.now() - 5 * 86_400_000);
  const [request] = await db
    .insert(requests)
    .values({
      status: "review",
      kinds: ["auskunft"],
      channel: "web",
      contactEmail: EMAIL,
      reference: `DSR-2026-${String(Math.floor(Math.random() * 900_000) + 100_000)}`,
      receivedAt,
      provenAt: receivedAt,
      deadline: new Date(receivedAt.getTime() + 30 * 86_400_000),
    })
    .returning({ id: requests.id });
  const requestId = request!.id;
  await db
    .insert(requestIdentifiers)
    .values({ requestId, kind: "email", value: EMAIL, normalized: EMAIL, provenAt: receivedAt });
  const [run] = await db
    .insert(gatherRuns)
    .values({ requestId, version: 1, frozenAt: receivedAt, startedBy: handlerId })
    .returning({ id: gatherRuns.id });
  const runId = run!.id;
  const [round] = await db.insert(reviewRounds).values({ runId }).returning({ id: reviewRounds.id });
  const roundId = round!.id;

  const rng = new Rng(seed);
  const stores: Record<string, number> = {};
  let batch: { finding: typeof findings.$inferInsert; decided: boolean }[] = [];
  const flush = async () => {
    const inserted = await db
      .insert(findings)
      .values(batch.map((b) => b.finding))
      .returning({ id: findings.id, contentHash: findings.contentHash });
    const decided = inserted.filter((_, i) => batch[i]!.decided);
    if (decided.length) {
      await db.insert(findingDecisions).values(
        decided.map(({ id, contentHash }): typeof findingDecisions.$inferInsert => ({
          roundId,
          findingId: id,
          decision: "release",
          contentHash,
          decidedBy: handlerId,
        })),
      );
    }
    batch = [];
  };
  for (const f of generatedFindings(total).list() as Iterable<ReleasedFinding>) {
    const unproven = rng.chance(0.06);
    const redact = f.redactions[0]?.field;
    stores[f.store] = (stores[f.store] ?? 0) + 1;
    const suggestions = suggestionsOf(rng, f.store, redact, unproven);
    batch.push({
      finding: {
        runId,
        store: f.store,
        storeKind: f.storeKind,
        processingActivityId: f.processingActivityId,
        ref: f.ref,
        role: f.role,
        flags: redact ? ["third-party-data"] : [],
        unproven,
        matched: f.matchedIdentifier,
        recordedAt: f.recordedAt,
        content: f.content,
        contentHash: contentHashOf(f.content),
        suggestions,
      },
      // Decided so far: plain findings only (what a reviewer releases first).
      decided: suggestions.length === 0 && rng.chance(decidedShare / 0.6),
    });
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  const finishedAt = new Date(receivedAt.getTime() + 3_600_000);
  await db.insert(gatherStoreJobs).values(
    Object.entries(stores).map(([store, n]): typeof gatherStoreJobs.$inferInsert => ({
      runId,
      store,
      status: "done",
      findings: n,
      progressScanned: n,
      progressTotal: n,
      attempts: 1,
      startedAt: receivedAt,
      finishedAt,
    })),
  );
  // As after a real gathering of this size: the planner knows the tables' sizes.
  await db.execute(sql`analyze findings`);
  await db.execute(sql`analyze finding_decisions`);
  return { requestId, runId, roundId, handler, stores };
}
