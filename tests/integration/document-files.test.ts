/**
 * A case's documents are files under DATA_DIR/documents named by their SHA-256, not bytes in the
 * database (ADR 0017): stored, shared by equal bytes, removed with the last row that names them
 * (identity check, retention sweep), moved out of the database at start for rows stored before,
 * and a missing or altered file is said, never read as empty.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachments, requests } from "#db/schema";
import type { StaffIdentity } from "#app/server/auth/staff.server";
import { forwardTakenInComplaint } from "#app/server/complaints/forward.server";
import {
  DocumentFileError,
  documentPath,
  moveLegacyDocuments,
  readDocument,
  removeOrphanDocuments,
} from "#app/server/document-files.server";
import { addInformation } from "#app/server/requests/case-actions.server";
import { recordIdentityCheck } from "#app/server/requests/identity-check.server";
import { intakeRequest, intakeSchema } from "#app/server/requests/intake.server";
import { sweepClosedCases } from "#app/server/retention/portal-sweep.server";
import { effectiveRules } from "#app/server/retention/rules.server";
import type { Services } from "#app/server/services.server";
import { createTestServices } from "../support/services";
import { createStaff } from "../support/staff";

let services: Services;
let close: () => Promise<void>;
let handler: StaffIdentity;
const db = () => services.database.db;
const documentsDir = () => path.join(services.config.dataDir, "documents");

beforeAll(async () => {
  ({ services, close } = await createTestServices());
  handler = await createStaff(db(), "documents-handler", "case-handler");
});
afterAll(() => close?.());

/** A PDF-typed scan of some size with bytes of its own. */
const scanBytes = (bytes = 64 * 1024) => Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(bytes)]);
const sha256 = (content: Buffer) => createHash("sha256").update(content).digest("hex");

/** A letter taken in by staff with its scan: the portal's own way of storing a document. */
async function letterWithScan(scan: Buffer, kinds: string[] = ["auskunft"]) {
  const form = intakeSchema.parse({
    channel: "letter",
    receivedOn: new Date().toISOString().slice(0, 10),
    kinds,
    lang: "de",
    name: "Dora Datei",
    postalAddress: "Anger 1\n99084 Erfurt",
    note: "Bitte leiten Sie meine Beschwerde weiter.",
  });
  const created = await intakeRequest(services, {
    staffId: handler.id,
    form,
    scan: {
      fileName: "brief.pdf",
      contentType: "application/pdf",
      content: new Blob([new Uint8Array(scan)]),
    },
  });
  const [row] = await db().select().from(attachments).where(eq(attachments.requestId, created.requestId));
  return { ...created, document: row! };
}

describe("documents as files", () => {
  it("keeps the bytes in a file under DATA_DIR/documents (mode 0600), and none in the database", async () => {
    const scan = scanBytes();
    const { document } = await letterWithScan(scan);
    expect(document).toMatchObject({ sha256: sha256(scan), size: scan.length, content: null });
    const file = documentPath(services.config, document.sha256);
    expect(file).toBe(path.join(documentsDir(), document.sha256.slice(0, 2), document.sha256));
    expect(readFileSync(file).equals(scan)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [stored] = await services.sql.query<{ n: number }>(
      "select count(*)::int as n from attachments where content is not null",
    );
    expect(stored!.n).toBe(0);
    expect((await readDocument(services.config, document)).equals(scan)).toBe(true);
  });

  it("removes the file once no row names it: two cases with the same bytes share it until the last identity check", async () => {
    const scan = scanBytes();
    const first = await letterWithScan(scan);
    const second = await letterWithScan(scan);
    const file = documentPath(services.config, first.document.sha256);
    expect(second.document.sha256).toBe(first.document.sha256);

    const check = (c: typeof first) =>
      recordIdentityCheck(services, handler, c.requestId, {
        how: "copy",
        documentKind: "id-card",
        numberTail: "L01X",
        result: "confirmed",
        documentIds: [c.document.id],
        reason: "",
      });
    expect(await check(first)).toMatchObject({ ok: true, deleted: 1 });
    // The second case still names the bytes: the file stays.
    expect(existsSync(file)).toBe(true);
    expect(await check(second)).toMatchObject({ ok: true, deleted: 1 });
    expect(existsSync(file)).toBe(false);
  });

  it("leaves no file behind when the addition is refused", async () => {
    const scan = scanBytes();
    const refused = await addInformation(services, "00000000-0000-4000-8000-000000000000", {
      text: "Mein Ausweis",
      document: {
        fileName: "ausweis.pdf",
        contentType: "application/pdf",
        content: new Blob([new Uint8Array(scan)]),
      },
    });
    expect(refused).toEqual({ ok: false, reason: "not-changeable" });
    expect(existsSync(documentPath(services.config, sha256(scan)))).toBe(false);
    expect(readdirSync(path.join(documentsDir(), ".incoming", String(process.pid)))).toEqual([]);
  });

  it("removes the files of cases the retention sweep erases", async () => {
    const scan = scanBytes();
    const { requestId, document } = await letterWithScan(scan);
    await db()
      .update(requests)
      .set({ status: "answered", closedAt: new Date("2020-01-01T00:00:00Z") })
      .where(eq(requests.id, requestId));
    const erased = await sweepClosedCases(services, await effectiveRules(db()), new Date(), false);
    expect(erased.deleted).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(requests).where(eq(requests.id, requestId))).toHaveLength(0);
    expect(existsSync(documentPath(services.config, document.sha256))).toBe(false);
  });

  it("says that a document's file is missing or altered, never reads it as empty, and forwards nothing without it", async () => {
    const scan = scanBytes();
    const { requestId, document } = await letterWithScan(scan, ["beschwerde"]);
    const file = documentPath(services.config, document.sha256);

    writeFileSync(file, Buffer.concat([scan.subarray(0, 100), Buffer.alloc(scan.length - 100)]));
    await expect(readDocument(services.config, document)).rejects.toMatchObject({
      name: "DocumentFileError",
      problem: "damaged",
    });
    rmSync(file);
    const missing = await readDocument(services.config, document).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(DocumentFileError);
    expect(missing).toMatchObject({ sha256: document.sha256, problem: "missing" });

    const dpo = await createStaff(db(), "documents-dpo", "dpo");
    expect(
      await forwardTakenInComplaint(services, dpo, requestId, { text: "Beschwerde", attachCaseFile: false }),
    ).toEqual({ ok: false, reason: "document-unreadable" });
    const [complaint] = await services.sql.query<{ n: number }>(
      "select count(*)::int as n from complaints where request_id = $1",
      [requestId],
    );
    expect(complaint!.n).toBe(0);
  });

  it("moves documents stored in the database before to files at start, and removes files no row names", async () => {
    const legacy = scanBytes(4096);
    const { requestId } = await letterWithScan(scanBytes());
    const [row] = await db()
      .insert(attachments)
      .values({
        requestId,
        fileName: "alt.pdf",
        contentType: "application/pdf",
        size: legacy.length,
        sha256: sha256(legacy),
        content: legacy,
        uploadedBy: `staff:${handler.id}`,
      })
      .returning({ id: attachments.id });
    const orphan = scanBytes(16);
    const orphanFile = documentPath(services.config, sha256(orphan));
    mkdirSync(path.dirname(orphanFile), { recursive: true });
    writeFileSync(orphanFile, orphan);
    // The incoming folder of a process that ended (pid far above any running one).
    const ended = path.join(documentsDir(), ".incoming", "999999999");
    mkdirSync(ended, { recursive: true });
    writeFileSync(path.join(ended, "half"), "x");

    expect(await moveLegacyDocuments(db(), services.config)).toBe(1);
    expect(await moveLegacyDocuments(db(), services.config)).toBe(0);
    const [moved] = await db().select().from(attachments).where(eq(attachments.id, row!.id));
    expect(moved).toMatchObject({ content: null, sha256: sha256(legacy), size: legacy.length });
    expect(readFileSync(documentPath(services.config, moved!.sha256)).equals(legacy)).toBe(true);

    expect(await removeOrphanDocuments(db(), services.config)).toBe(1);
    expect(existsSync(orphanFile)).toBe(false);
    expect(existsSync(ended)).toBe(false);
    // The files rows name stay (the case's scan and the moved document).
    const named = await db()
      .select({ sha256: attachments.sha256 })
      .from(attachments)
      .where(eq(attachments.requestId, requestId));
    expect(named).toHaveLength(2);
    for (const { sha256: hash } of named) expect(existsSync(documentPath(services.config, hash))).toBe(true);
    const [nothingLeft] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(attachments)
      .where(sql`${attachments.content} is not null`);
    expect(nothingLeft!.n).toBe(0);
  });
});
