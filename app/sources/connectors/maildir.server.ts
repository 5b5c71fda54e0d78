/**
 * Maildir++ mailboxes (Poststelle, support). A message is one record, referenced as
 * "<folder>/<unique name>" ("INBOX/…", ".Sent/…"): the unique name without the ":2,<flags>" info,
 * so a reference survives a client moving the message from new/ to cur/ and changing its flags.
 * Which messages are the subject's is decided in ./mail-message.server.ts (shared with IMAP);
 * the header block is read first, whatever its length, and only a matching message whole.
 *
 * Only cur/ and new/ hold messages (tmp/ holds deliveries in progress); names starting with a dot
 * are not messages either. A message Dovecot's zlib plugin stored gzip-compressed is read as it
 * is; one in another compression is reported as not searched. Symbolic links are never followed: one pointing out of the store is
 * reported as a part not searched, a dangling one as a note. A message that vanishes or moves
 * during a scan is looked up again by its unique name; one that is gone was deleted meanwhile.
 */
import type { Dirent } from "node:fs";
import { lstat, readdir, realpath, unlink } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindOptions,
  noteAffected,
  type RecordState,
  reportProblem,
  ruleFor,
  type ScanProblem,
  type ScanReport,
  type SourceConnector,
  StoreError,
  type StoreCheck,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import { PROCESSING_ACTIVITY } from "../activities";
import { HoldList } from "../files.server";
import {
  BLOCKING_READS_DEFAULT,
  openRecordFile,
  type RecordFile,
  yieldBetweenUnits,
} from "../record-files.server";
import { headerMayConcern, headerViewOfBlock, type RecordKeys, recordKeys } from "../record-prefilter";
import { countRecordRead, once, type Participant, SharedPasses } from "../shared-pass.server";
import { type CompiledSubject, compileSubject } from "../subject";
import {
  dateOf,
  describeMessage,
  EMBEDDED_HINT_LENGTH,
  embedsReportText,
  headerBlockEnd,
  isDeliveryReport,
  matchDeliveryReport,
  matchHeaders,
  mayEmbedReport,
  parseHeaderBlock,
  parseMessageBody,
  unreadReportsProblem,
} from "./mail-message.server";

interface MessageFile {
  /** "INBOX/<unique name>" or ".Sent/<unique name>". */
  ref: string;
  folder: string;
  /** The folder's directory (the store root for INBOX). */
  folderDir: string;
  abs: string;
}

interface Listing {
  files: MessageFile[];
  problems: ScanProblem[];
}

/** A search taking part in a pass over the mailbox: its subject, its keys and its own report. */
interface MailSearcher {
  subject: CompiledSubject;
  keys: RecordKeys | null;
  report: ScanReport;
  onProgress?: FindOptions["onProgress"];
}

type MailPassSetup = Listing;

/**
 * Messages a pass reads as one unit: a search that starts while a pass is under way joins it
 * from the next unit on, so units are small; each costs the pass a little bookkeeping.
 */
const MESSAGES_PER_UNIT = 64;

const FIRST_CHUNK = 16 * 1024;
const CHUNK = 64 * 1024;
const gunzipAsync = promisify(gunzip);
const MAILDIR_SUBDIRS = ["cur", "new"] as const;

/** The unique name of a message file: everything before the ":2,<flags>" info. */
function uniqueName(fileName: string): string {
  const colon = fileName.indexOf(":");
  return colon === -1 ? fileName : fileName.slice(0, colon);
}

function parseRef(ref: string): { folder: string; unique: string } | null {
  const slash = ref.lastIndexOf("/");
  if (slash <= 0 || slash === ref.length - 1) return null;
  const folder = ref.slice(0, slash);
  const unique = ref.slice(slash + 1);
  if (
    folder !== "INBOX" &&
    (!folder.startsWith(".") || folder.includes("/") || folder === "." || folder === "..")
  )
    return null;
  return { folder, unique };
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? "error";
}

/** The file's bytes after `start`, appended to it. */
async function readRest(file: RecordFile, start: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [start];
  let position = start.length;
  for (;;) {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const bytesRead = await file.read(buffer, position);
    if (bytesRead === 0) break;
    parts.push(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return Buffer.concat(parts);
}

/**
 * Dovecot's zlib plugin (mail_plugins = zlib) stores messages compressed in the Maildir, by the
 * magic bytes of the format it was configured with. gzip is read; the others are reported, never
 * taken for a message that names nobody.
 */
const COMPRESSION_MAGIC: readonly (readonly [string, Buffer])[] = [
  ["gzip", Buffer.from([0x1f, 0x8b])],
  ["bzip2", Buffer.from("BZh")],
  ["xz", Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ["zstd", Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ["lz4", Buffer.from([0x04, 0x22, 0x4d, 0x18])],
];

function compressionOf(start: Buffer): string | null {
  for (const [name, magic] of COMPRESSION_MAGIC)
    if (start.subarray(0, magic.length).equals(magic)) return name;
  return null;
}

class CompressedMessageError extends Error {
  constructor(readonly format: string) {
    super(`compressed with ${format}`);
    this.name = "CompressedMessageError";
  }
}

/** An open message file: its header block, and the rest read on demand from the same inode. */
class OpenMessage {
  private constructor(
    private readonly file: RecordFile,
    private readonly read: Buffer,
    readonly head: Buffer,
    private readonly complete: boolean,
  ) {}

  /**
   * Opens without following a link and reads until the blank line that ends the headers; with
   * `blocking`, by blocking calls (record-files.server.ts: on a search thread).
   */
  static async open(abs: string, blocking: boolean): Promise<OpenMessage> {
    const file = await openRecordFile(abs, blocking);
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        // Most messages' header blocks (and most messages) fit the first, smaller read.
        const buffer = Buffer.allocUnsafe(total === 0 ? FIRST_CHUNK : CHUNK);
        const bytesRead = await file.read(buffer, total);
        if (bytesRead > 0) {
          chunks.push(buffer.subarray(0, bytesRead));
          total += bytesRead;
        }
        const read = Buffer.concat(chunks, total);
        const compression = compressionOf(read);
        if (compression === "gzip") {
          const message = await gunzipAsync(await readRest(file, read));
          const end = headerBlockEnd(message);
          return new OpenMessage(file, message, end === -1 ? message : message.subarray(0, end), true);
        }
        if (compression) throw new CompressedMessageError(compression);
        // Search the whole block again: the blank line may straddle two chunks.
        const end = headerBlockEnd(read);
        if (end !== -1) return new OpenMessage(file, read, read.subarray(0, end), false);
        if (bytesRead === 0) return new OpenMessage(file, read, read, true);
      }
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async whole(): Promise<Buffer> {
    return this.complete ? this.read : readRest(this.file, this.read);
  }

  /**
   * Whether the message may hold a report to read (mail-message.server.ts `embedsReport`), its
   * bytes read in chunks that overlap by the longest match: a large message that holds none (an
   * attachment of many megabytes) is read but never held whole for it. The chunks go through the
   * caller's `scratch`, one buffer for a whole pass: a buffer per multipart message (a megabyte
   * each before) made most of a mailbox search's garbage collections (ADR 0021).
   */
  async embedsReport(scratch: Buffer): Promise<boolean> {
    let text = this.read.toString("latin1");
    if (embedsReportText(text) || this.complete) return embedsReportText(text);
    for (let position = this.read.length; ;) {
      const bytesRead = await this.file.read(scratch, position);
      if (bytesRead === 0) return false;
      position += bytesRead;
      text = text.slice(-EMBEDDED_HINT_LENGTH) + scratch.toString("latin1", 0, bytesRead);
      if (embedsReportText(text)) return true;
    }
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

export class MaildirConnector implements SourceConnector {
  readonly kind = "maildir" as const;
  readonly capabilities: ConnectorCapabilities = { erase: true, restrict: true, rectifyFields: [] };

  /**
   * @param options.blockingReads read the messages by blocking calls (record-files.server.ts);
   *   by default on a search thread and not on the main thread.
   */
  constructor(
    readonly id: string,
    private readonly root: string,
    options: { blockingReads?: boolean } = {},
  ) {
    this.blockingReads = options.blockingReads ?? BLOCKING_READS_DEFAULT;
    this.passes = new SharedPasses<MailPassSetup, MailSearcher, Finding>({
      prepare: async () => {
        const listing = await this.list();
        return { setup: listing, units: Math.ceil(listing.files.length / MESSAGES_PER_UNIT) };
      },
      admit: (setup, searcher) => {
        searcher.report.total = setup.files.length;
        for (const problem of setup.problems) reportProblem(searcher.report, problem);
      },
      read: (setup, unit, participants, signal) =>
        this.readMessages(
          setup.files.slice(unit * MESSAGES_PER_UNIT, (unit + 1) * MESSAGES_PER_UNIT),
          participants,
          signal,
        ),
      // One message at a time, in the listing's order, as a search alone read them.
      concurrency: 1,
    });
  }

  private readonly blockingReads: boolean;

  /** Every search of this mailbox that runs at the same time shares one pass over its messages (ADR 0021). */
  private readonly passes: SharedPasses<MailPassSetup, MailSearcher, Finding>;

  private async rootEntries(): Promise<Dirent[]> {
    try {
      return await readdir(this.root, { withFileTypes: true });
    } catch (error) {
      throw new StoreError(this.id, `cannot read the mailbox ${this.root} (${errorCode(error)})`, {
        cause: error,
      });
    }
  }

  /** A symbolic link, judged without following it for reading: where does it point? */
  private async linkProblem(abs: string, where: string): Promise<ScanProblem> {
    let target: string;
    try {
      target = await realpath(abs);
    } catch {
      return { where, reason: "dangling symbolic link", unsearched: false };
    }
    const root = await realpath(this.root);
    const rel = relative(root, target);
    if (rel.startsWith("..") || rel === "" || rel.startsWith(sep) || /^[A-Za-z]:/.test(rel)) {
      return { where, reason: "symbolic link out of the store, not followed", unsearched: true };
    }
    // A link to a message of this store: the message is searched where it lies.
    const searchedThere =
      /(^|[\\/])(cur|new)[\\/][^\\/]+$/.test(rel) &&
      !rel.split(/[\\/]/).some((part, i, all) => i < all.length - 1 && part === "tmp");
    return { where, reason: "symbolic link inside the store, not followed", unsearched: !searchedThere };
  }

  /** Every message file of every folder, with the links and unreadable folders found on the way. */
  private async list(): Promise<Listing> {
    const entries = await this.rootEntries();
    const problems: ScanProblem[] = [];
    const folders: { folder: string; dir: string }[] = [{ folder: "INBOX", dir: this.root }];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.name.startsWith(".") || entry.name === ".legal-hold.json" || entry.name.includes(".tmp-"))
        continue;
      if (entry.isSymbolicLink())
        problems.push(await this.linkProblem(join(this.root, entry.name), entry.name));
      else if (entry.isDirectory()) folders.push({ folder: entry.name, dir: join(this.root, entry.name) });
    }
    const files: MessageFile[] = [];
    for (const { folder, dir: folderDir } of folders) {
      for (const sub of MAILDIR_SUBDIRS) {
        const dir = join(folderDir, sub);
        let names: Dirent[];
        try {
          names = await readdir(dir, { withFileTypes: true });
        } catch (error) {
          const code = errorCode(error);
          // A folder without new/ (or cur/) simply has no messages there.
          if (code !== "ENOENT" && code !== "ENOTDIR")
            problems.push({
              where: `${folder}/${sub}`,
              reason: `folder cannot be read (${code})`,
              unsearched: true,
            });
          continue;
        }
        for (const entry of names.sort((a, b) => a.name.localeCompare(b.name))) {
          if (entry.name.startsWith(".")) continue;
          const ref = `${folder}/${uniqueName(entry.name)}`;
          const abs = join(dir, entry.name);
          if (entry.isSymbolicLink()) problems.push(await this.linkProblem(abs, ref));
          else if (entry.isFile()) files.push({ ref, folder, folderDir, abs });
          else problems.push({ where: ref, reason: "not a regular file, not searched", unsearched: true });
        }
      }
    }
    return { files, problems };
  }

  /** The messages by reference, as the mailbox holds them now, and why a reference not among them may still be there. */
  private async index(): Promise<Map<string, MessageFile> & { unsure(ref: string): string | null }> {
    const { files, problems } = await this.list();
    const index = new Map(files.map((file) => [file.ref, file]));
    return Object.assign(index, {
      unsure(ref: string): string | null {
        const folder = parseRef(ref)?.folder;
        const folderWide =
          folder === undefined ? [] : [folder, ...MAILDIR_SUBDIRS.map((sub) => `${folder}/${sub}`)];
        const problem = problems.find(
          (p) => p.unsearched && (p.where === ref || folderWide.includes(p.where)),
        );
        return problem ? problem.reason : null;
      },
    });
  }

  /** Where a message lies now (after a move new→cur or a flag change), or null when it is gone. */
  private async locate(ref: string): Promise<MessageFile | null> {
    const parsed = parseRef(ref);
    if (!parsed) return null;
    const folderDir = parsed.folder === "INBOX" ? this.root : join(this.root, parsed.folder);
    if (parsed.folder !== "INBOX") {
      const info = await lstat(folderDir).catch(() => null);
      if (!info?.isDirectory()) return null;
    }
    for (const sub of MAILDIR_SUBDIRS) {
      const names = await readdir(join(folderDir, sub), { withFileTypes: true }).catch(() => [] as Dirent[]);
      const entry = names.find(
        (e) => e.isFile() && !e.name.startsWith(".") && uniqueName(e.name) === parsed.unique,
      );
      if (entry) return { ref, folder: parsed.folder, folderDir, abs: join(folderDir, sub, entry.name) };
    }
    return null;
  }

  /** Opens a listed message; if it moved meanwhile, where it lies now; null when it is gone. */
  private async openMessage(file: MessageFile): Promise<OpenMessage | null> {
    try {
      return await OpenMessage.open(file.abs, this.blockingReads);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    const moved = await this.locate(file.ref);
    if (!moved) return null;
    try {
      return await OpenMessage.open(moved.abs, this.blockingReads);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return null;
      throw error;
    }
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const report: ScanReport = {
      unit: "records",
      scanned: 0,
      total: null,
      findings: 0,
      malformed: 0,
      problems: [],
    };
    const { items } = await this.passes.join(
      {
        subject: compileSubject(subject),
        // The search before parsing (record-prefilter.ts): a message whose headers cannot hold one
        // of the subject's addresses in any reading is not parsed further for this search.
        keys: recordKeys(subject),
        report,
        onProgress: options.onProgress,
      },
      options.signal,
    );
    for await (const finding of items) {
      report.findings++;
      yield finding;
    }
    options.signal?.throwIfAborted();
    options.onReport?.(report);
  }

  /**
   * Messages read once for every search taking part (ADR 0021): each message is opened once, its
   * header block viewed once (record-prefilter.ts), and offered to exactly the searches whose own
   * keys occur in the view — the messages each would have parsed alone. The header fields are
   * parsed once, and each of those searches matches them by its own subject; what fails for one
   * search (a header it cannot parse) fails for it alone, as if it had searched alone.
   */
  private async readMessages(
    files: readonly MessageFile[],
    participants: readonly Participant<MailSearcher, Finding>[],
    signal: AbortSignal,
  ): Promise<void> {
    await yieldBetweenUnits(this.blockingReads);
    // The files are read one after another, so one buffer serves every message's look for reports.
    const scratch = Buffer.allocUnsafe(CHUNK);
    for (const file of files) {
      signal.throwIfAborted();
      const active = countRecordRead(participants);
      if (active.length === 0) return;
      let message: OpenMessage | null;
      try {
        message = await this.openMessage(file);
      } catch (error) {
        const reason =
          error instanceof CompressedMessageError
            ? `message ${error.message}, which cannot be read here`
            : `message cannot be read (${errorCode(error)})`;
        for (const { own } of active)
          reportProblem(own.report, { where: file.ref, reason, unsearched: true });
        continue;
      }
      if (!message) continue;
      const opened = message;
      const view = once(() => headerViewOfBlock(opened.head));
      const fields = once(() => parseHeaderBlock(opened.head));
      const whole = once(() => opened.whole());
      // A multipart message may forward a report whose recipient is a search its headers do not
      // concern (mail-message.server.ts, "Reports"): read whole and looked into once for all of them.
      const embeds = once(async () => mayEmbedReport(opened.head) && (await opened.embedsReport(scratch)));
      // Parsed once, for however many searches find it or must read its (forwarded) reports.
      const body = once(async () => parseMessageBody(fields(), await whole()));
      try {
        for (const participant of active) {
          if (participant.left) continue;
          const { own } = participant;
          let finding: Finding | null = null;
          try {
            if (!headerMayConcern(view(), own.keys) && !(await embeds())) continue;
            let hit = matchHeaders(fields(), own.subject);
            if (!hit && (isDeliveryReport(fields()) || (await embeds()))) {
              hit = matchDeliveryReport(await body(), own.subject);
              // A report it cannot read may be this search's record: not searched, never guessed.
              const unread = hit ? null : unreadReportsProblem(await body());
              if (unread) reportProblem(own.report, { where: file.ref, reason: unread, unsearched: true });
            }
            if (hit) {
              const described = await describeMessage(file.folder, fields(), await whole(), hit, body());
              if (described.bodyProblem)
                reportProblem(own.report, {
                  where: file.ref,
                  reason: described.bodyProblem,
                  unsearched: false,
                });
              finding = {
                store: this.id,
                storeKind: this.kind,
                processingActivityId: described.activity,
                ref: file.ref,
                matchedIdentifier: described.identifier,
                unproven: !described.identifier.proven,
                role: described.role,
                flags: described.flags,
                recordedAt: described.recordedAt,
                content: described.content,
              };
            }
          } catch (error) {
            own.report.malformed++;
            reportProblem(own.report, {
              where: file.ref,
              reason: `message cannot be parsed (${errorCode(error)})`,
              unsearched: true,
            });
          }
          if (finding) await participant.deliver(finding);
        }
      } finally {
        await message.close();
      }
    }
  }

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
    const unique = [...new Set(refs)];
    let holds: HoldList;
    try {
      holds = await HoldList.open(this.root);
    } catch (error) {
      result.failures.push(
        ...unique.map((ref) => ({
          ref,
          reason: `the legal hold list cannot be read (${errorCode(error)}); nothing was deleted`,
        })),
      );
      return result;
    }
    let index: Awaited<ReturnType<MaildirConnector["index"]>>;
    try {
      index = await this.index();
    } catch (error) {
      result.failures.push(
        ...unique.map((ref) => ({
          ref,
          reason: `the mailbox cannot be read (${errorCode(error)}); nothing was deleted`,
        })),
      );
      return result;
    }
    const deleted: string[] = [];
    for (const ref of unique) {
      if (holds.has(ref)) {
        result.skippedOnHold++;
        continue;
      }
      const message = index.get(ref);
      const unsure = message ? null : index.unsure(ref);
      if (unsure) result.failures.push({ ref, reason: `the message cannot be reached (${unsure})` });
      if (!message) {
        if (!unsure) result.notFound++;
        continue;
      }
      try {
        await unlink(message.abs).catch(async (error: unknown) => {
          // Moved by a client between the listing and the deletion: delete it where it is now.
          if (errorCode(error) !== "ENOENT") throw error;
          const moved = await this.locate(ref);
          if (moved) await unlink(moved.abs);
        });
        deleted.push(ref);
      } catch (error) {
        result.failures.push({ ref, reason: `the message cannot be deleted (${errorCode(error)})` });
      }
    }
    if (deleted.length === 0) return result;
    // Done only when the mailbox, read again, no longer holds the message.
    let after: Awaited<ReturnType<MaildirConnector["index"]>>;
    try {
      after = await this.index();
    } catch (error) {
      result.failures.push(
        ...deleted.map((ref) => ({
          ref,
          reason: `the mailbox cannot be read again to confirm the deletion (${errorCode(error)})`,
        })),
      );
      return result;
    }
    for (const ref of deleted) {
      if (after.has(ref))
        result.failures.push({ ref, reason: "the message is still in the mailbox after its deletion" });
      else result.changed++;
    }
    return result;
  }

  /**
   * Legal holds are kept in a list beside the mailbox (.legal-hold.json): a Maildir has no place
   * of its own for them that a mail client would leave alone. A hold on a message that is not
   * there is not set (notFound); a hold can be lifted whether or not the message is still there.
   */
  async restrict(refs: readonly string[], hold: boolean, holder: string): Promise<ChangeResult> {
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
    const unique = [...new Set(refs)];
    try {
      const list = await HoldList.open(this.root);
      const now = new Date();
      const changed: string[] = [];
      const index = hold ? await this.index() : null;
      for (const ref of unique) {
        const unsure = index && !index.has(ref) ? index.unsure(ref) : null;
        if (unsure) result.failures.push({ ref, reason: `the message cannot be reached (${unsure})` });
        else if (index && !index.has(ref)) result.notFound++;
        else if (list.set(ref, hold, holder, now)) changed.push(ref);
      }
      if (changed.length === 0) return result;
      await list.save();
      const saved = await HoldList.open(this.root);
      for (const ref of changed) {
        if (saved.shows(ref, hold, holder)) result.changed++;
        else
          result.failures.push({ ref, reason: "the legal hold list does not show the change after saving" });
      }
    } catch (error) {
      result.failures.push(
        ...unique.map((ref) => ({
          ref,
          reason: `the legal hold list cannot be changed (${errorCode(error)})`,
        })),
      );
      result.changed = 0;
    }
    return result;
  }

  async rectify(): Promise<ChangeResult> {
    throw new UnsupportedOperationError(this.id, "rectification of a received or sent message");
  }

  async inspect(refs: readonly string[]): Promise<Map<string, RecordState>> {
    const states = new Map<string, RecordState>();
    let holds: HoldList;
    try {
      holds = await HoldList.open(this.root);
    } catch (error) {
      for (const ref of refs)
        states.set(ref, { state: "unknown", reason: `the mailbox cannot be read (${errorCode(error)})` });
      return states;
    }
    let index: Awaited<ReturnType<MaildirConnector["index"]>>;
    try {
      index = await this.index();
    } catch (error) {
      for (const ref of refs)
        states.set(ref, { state: "unknown", reason: `the mailbox cannot be read (${errorCode(error)})` });
      return states;
    }
    for (const ref of refs) {
      const unsure = index.has(ref) ? null : index.unsure(ref);
      if (unsure) states.set(ref, { state: "unknown", reason: unsure });
      else
        states.set(
          ref,
          index.has(ref)
            ? { state: "present", ...holds.holdOf(ref), fields: {} }
            : { state: "absent", ...holds.holdOf(ref) },
        );
    }
    return states;
  }

  async check(): Promise<StoreCheck> {
    try {
      const info = await lstat(this.root).catch((error: unknown) => {
        throw new StoreError(
          this.id,
          `the mailbox ${this.root} does not exist or cannot be reached (${errorCode(error)})`,
        );
      });
      if (!info.isDirectory() && !info.isSymbolicLink())
        return { ok: false, reason: `${this.root} is not a directory` };
      const inbox = await Promise.all(
        MAILDIR_SUBDIRS.map((sub) =>
          lstat(join(this.root, sub)).then(
            (i) => i.isDirectory(),
            () => false,
          ),
        ),
      );
      if (!inbox.some(Boolean))
        return { ok: false, reason: `${this.root} is not a Maildir (it has neither cur/ nor new/)` };
      const { files, problems } = await this.list();
      try {
        await HoldList.open(this.root);
      } catch (error) {
        return {
          ok: false,
          reason: `the legal hold list of the mailbox cannot be read (${errorCode(error)})`,
        };
      }
      const unsearched = problems.filter((p) => p.unsearched).length;
      return unsearched
        ? {
            ok: false,
            reason: `${unsearched} part(s) of the mailbox cannot be searched: ${problems
              .filter((p) => p.unsearched)
              .map((p) => `${p.where}: ${p.reason}`)
              .slice(0, 5)
              .join("; ")}`,
          }
        : { ok: true, detail: `${files.length} messages readable` };
    } catch (error) {
      return {
        ok: false,
        reason:
          error instanceof StoreError ? error.message : `the mailbox cannot be read (${errorCode(error)})`,
      };
    }
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.email);
    if (!rule) return result;
    const holds = await HoldList.open(this.root);
    for (const file of (await this.list()).files) {
      let at: Date | null;
      let message: OpenMessage | null;
      try {
        message = await this.openMessage(file);
      } catch {
        result.malformed++;
        continue;
      }
      if (!message) continue;
      try {
        at = dateOf(parseHeaderBlock(message.head));
      } finally {
        await message.close();
      }
      if (!at) {
        result.malformed++;
        continue;
      }
      if (!rule.isExpired(at, now)) continue;
      if (holds.has(file.ref)) {
        result.skippedOnHold++;
        continue;
      }
      const current = await this.locate(file.ref);
      if (!current) continue;
      await unlink(current.abs);
      result.deleted++;
      noteAffected(result, at);
    }
    return result;
  }
}
