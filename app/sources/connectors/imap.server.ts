/**
 * A mailbox on a mail server (Dovecot, Exchange, …), read and changed through IMAP with imapflow.
 * Which messages are the subject's is decided exactly as for a Maildir (./mail-message.server.ts).
 *
 * - References are "<folder>/<UIDVALIDITY>/<UID>". A UID names one message only while the folder
 *   keeps its UIDVALIDITY; when the server renumbers the folder the reference is not found any
 *   more, instead of pointing at another person's message.
 * - find reads the header blocks (BODY.PEEK[HEADER], nothing marked as read) a batch of UIDs at a
 *   time and fetches the whole message (BODY.PEEK[]) only for a match: never the whole mailbox
 *   in memory, and between batches the connection is free for other commands.
 * - Searches that run at the same moment share one pass over the mailbox (ADR 0021,
 *   ../shared-pass.server.ts): each batch of header blocks is fetched once for all of them, viewed
 *   once (record-prefilter.ts) and parsed once, then offered to exactly the searches whose own
 *   keys occur in it; a message that matches several is fetched whole once. Each search decides by
 *   its own subject and keeps its own report, as if it had searched alone.
 * - erase flags \Deleted and expunges exactly those UIDs (UID EXPUNGE, RFC 4315); a server without
 *   UIDPLUS is refused, because its EXPUNGE would also remove what the mailbox's users marked.
 *   Done only when a second look no longer finds the UID.
 * - A legal hold is the keyword $LegalHold on the message itself, with $LegalHold.<case id> for
 *   each case holding it (one case's lift keeps another's hold). It travels with the message on
 *   the server (also through the users' own copies and moves between folders), every client can
 *   see why a message must stay, and erase and sweep read it in the same look that finds the
 *   message — no second list outside the server to keep in step. The folder must keep new keywords
 *   (PERMANENTFLAGS \*), otherwise restrict fails for it with that reason.
 * - sweep starts a message's retention period at its INTERNALDATE — when the server took it in
 *   (delivery, or the append of a sent copy); a sender can write any Date header, and an old one
 *   must not make the office delete early. The Date header serves only where the server has none.
 * - The password comes from the environment variable the config names, read at each connect.
 */
import { ImapFlow, type MessageStructureObject } from "imapflow";
import { PROCESSING_ACTIVITY } from "../activities";
import type { MailServerStoreConfig } from "../config";
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
import { headerMayConcern, headerViewOfBlock, type RecordKeys, recordKeys } from "../record-prefilter";
import { countRecordRead, once, type Participant, SharedPasses } from "../shared-pass.server";
import { type CompiledSubject, compileSubject } from "../subject";
import {
  dateOf,
  describeMessage,
  isAttachedMessageName,
  isDeliveryReport,
  matchDeliveryReport,
  matchHeaders,
  mayEmbedReport,
  type MessageMatch,
  parseHeaderBlock,
  parseMessageBody,
  unreadReportsProblem,
} from "./mail-message.server";

/** A search taking part in a pass over the mailbox: its subject, its keys and its own report. */
interface MailSearcher {
  subject: CompiledSubject;
  keys: RecordKeys | null;
  report: ScanReport;
  onProgress?: FindOptions["onProgress"];
  /** Folders this search was told were renumbered or removed during its search (told once each). */
  folderGone: Set<string>;
}

/** One batch of a folder's UIDs, as the pass's listing planned it. */
interface MailUnit {
  folder: string;
  uidValidity: string;
  uids: number[];
}

/** A pass's listing of the mailbox: its batches, how many messages, and what could not be listed. */
interface MailPassSetup {
  units: MailUnit[];
  total: number;
  problems: ScanProblem[];
}

/** The keyword that marks a message under legal hold. */
export const LEGAL_HOLD_KEYWORD = "$LegalHold";
/**
 * Beside it, one keyword per case holding the message ($LegalHold.<case id>): a case lifting its
 * restriction removes its own, and $LegalHold goes only with the last. $LegalHold without one is
 * a hold set before holds had owners.
 */
const HOLDER_PREFIX = `${LEGAL_HOLD_KEYWORD}.`;

function holdersIn(flags: ReadonlySet<string>): string[] {
  return [...flags].filter((f) => f.startsWith(HOLDER_PREFIX)).map((f) => f.slice(HOLDER_PREFIX.length));
}

function holdIn(flags: ReadonlySet<string>): { held: boolean; holders: string[] } {
  return { held: flags.has(LEGAL_HOLD_KEYWORD), holders: holdersIn(flags) };
}
const BATCH = 100;

interface ImapRef {
  folder: string;
  uidValidity: string;
  uid: number;
}

export function imapRef(folder: string, uidValidity: string | bigint, uid: number): string {
  return `${folder}/${String(uidValidity)}/${uid}`;
}

function parseImapRef(ref: string): ImapRef | null {
  const match = /^(.+)\/(\d+)\/(\d+)$/.exec(ref);
  if (!match) return null;
  const uid = Number(match[3]);
  return Number.isSafeInteger(uid) && uid > 0 ? { folder: match[1]!, uidValidity: match[2]!, uid } : null;
}

interface ImapError extends Error {
  code?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseText?: string;
}

/**
 * Whether the server's BODYSTRUCTURE of a message shows a message/* part in it (an embedded
 * message, a report part) or a file named *.eml: the parts in which the parser may find a forwarded
 * report — wider than it (any message/* type, at any depth), never narrower.
 */
function holdsMessagePart(node: MessageStructureObject): boolean {
  if (/^message\//i.test(node.type)) return true;
  // A message attached as a file (*.eml, any type): the server gives its name decoded.
  if (
    isAttachedMessageName(node.dispositionParameters?.filename) ||
    isAttachedMessageName(node.parameters?.name)
  )
    return true;
  return (node.childNodes ?? []).some(holdsMessagePart);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function byFolder(refs: readonly string[]): {
  folders: Map<string, { ref: string; parsed: ImapRef }[]>;
  malformed: string[];
} {
  const folders = new Map<string, { ref: string; parsed: ImapRef }[]>();
  const malformed: string[] = [];
  for (const ref of new Set(refs)) {
    const parsed = parseImapRef(ref);
    if (!parsed) {
      malformed.push(ref);
      continue;
    }
    folders.set(parsed.folder, [...(folders.get(parsed.folder) ?? []), { ref, parsed }]);
  }
  return { folders, malformed };
}

function emptyChange(): ChangeResult {
  return { changed: 0, notFound: 0, skippedOnHold: 0, failures: [] };
}

export class ImapConnector implements SourceConnector {
  readonly kind = "maildir" as const;
  readonly capabilities: ConnectorCapabilities = { erase: true, restrict: true, rectifyFields: [] };
  private connection: Promise<ImapFlow> | null = null;

  constructor(
    readonly id: string,
    private readonly config: Pick<
      MailServerStoreConfig,
      "host" | "port" | "tls" | "user" | "passwordEnv" | "folders"
    >,
  ) {
    this.passes = new SharedPasses<MailPassSetup, MailSearcher, Finding>({
      prepare: async () => {
        const setup = await this.plan();
        return { setup, units: setup.units.length };
      },
      admit: (setup, searcher) => {
        searcher.report.total = setup.total;
        for (const problem of setup.problems) reportProblem(searcher.report, problem);
      },
      read: (setup, unit, participants, signal) => this.readUnit(setup.units[unit]!, participants, signal),
      // One batch at a time on the one connection, in the listing's order, as a search alone read them.
      concurrency: 1,
    });
  }

  /** Every search of this mailbox that runs at the same time shares one pass over its messages (ADR 0021). */
  private readonly passes: SharedPasses<MailPassSetup, MailSearcher, Finding>;

  private get port(): number {
    return this.config.port ?? (this.config.tls === "implicit" ? 993 : 143);
  }

  /** What went wrong, for staff: never the password, never a message's content. */
  private describe(error: unknown): string {
    if (error instanceof StoreError) return error.message;
    const e = error as ImapError;
    if (e.authenticationFailed)
      return `the server refused the login of "${this.config.user}" (wrong user name or password, or the account is locked)`;
    const network = [
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EHOSTUNREACH",
      "ENOTFOUND",
      "EAI_AGAIN",
      "CONNECT_TIMEOUT",
      "GREETING_TIMEOUT",
    ];
    if (e.code && network.includes(e.code))
      return `cannot connect to ${this.config.host}:${this.port} (${e.code})`;
    const detail = [e.code, e.serverResponseCode, e.responseText ?? e.message].filter(Boolean).join(" ");
    return `IMAP error at ${this.config.host}:${this.port} (${detail})`;
  }

  /** The one connection of this connector, opened on first use and again after it dropped. */
  private async client(): Promise<ImapFlow> {
    if (this.connection) {
      const existing = await this.connection.catch(() => null);
      if (existing?.usable) return existing;
      // Dropped (the server's autologout, a restart): release what is left of it and log in again.
      existing?.close();
      this.connection = null;
    }
    const password = process.env[this.config.passwordEnv];
    if (!password)
      throw new StoreError(
        this.id,
        `the environment variable ${this.config.passwordEnv} that holds the IMAP password is not set`,
      );
    const client = new ImapFlow({
      host: this.config.host,
      port: this.port,
      secure: this.config.tls === "implicit",
      doSTARTTLS: this.config.tls === "starttls" ? true : this.config.tls === "none" ? false : undefined,
      auth: { user: this.config.user, pass: password },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 120_000,
    });
    // A dropped connection is noticed by `usable` and reopened on next use; the event must not go unhandled.
    client.on("error", () => undefined);
    const opening = client.connect().then(
      () => client,
      (error: unknown) => {
        client.close();
        throw new StoreError(this.id, this.describe(error), { cause: error });
      },
    );
    this.connection = opening;
    try {
      return await opening;
    } catch (error) {
      if (this.connection === opening) this.connection = null;
      throw error;
    }
  }

  /** The folders to search: the configured ones, or every selectable folder. */
  private async folders(client: ImapFlow): Promise<{ folders: string[]; missing: string[] }> {
    const listed = await client.list();
    const selectable = listed
      .filter((m) => !m.flags.has("\\Noselect") && !m.flags.has("\\NonExistent"))
      .map((m) => m.path);
    if (!this.config.folders) return { folders: selectable, missing: [] };
    return {
      folders: this.config.folders.filter((f) => selectable.includes(f)),
      missing: this.config.folders.filter((f) => !selectable.includes(f)),
    };
  }

  /** Runs `work` with the folder selected (EXAMINE when read-only); null when the folder does not exist. */
  private async inFolder<T>(
    client: ImapFlow,
    folder: string,
    readOnly: boolean,
    work: (uidValidity: string) => Promise<T>,
  ): Promise<{ value: T } | null> {
    let lock: Awaited<ReturnType<ImapFlow["getMailboxLock"]>>;
    try {
      lock = await client.getMailboxLock(folder, { readOnly });
    } catch (error) {
      if ((error as ImapError).serverResponseCode === "NONEXISTENT") return null;
      throw error;
    }
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new StoreError(this.id, `folder ${folder} could not be selected`);
      return { value: await work(String(mailbox.uidValidity)) };
    } finally {
      lock.release();
    }
  }

  /** UID → flags of the UIDs the folder still holds. */
  private async flagsOf(client: ImapFlow, uids: readonly number[]): Promise<Map<number, Set<string>>> {
    const found = new Map<number, Set<string>>();
    for (const batch of chunks(uids, BATCH)) {
      for await (const message of client.fetch(batch.join(","), { uid: true, flags: true }, { uid: true })) {
        found.set(message.uid, message.flags ?? new Set());
      }
    }
    return found;
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const report: ScanReport = {
      unit: "records",
      scanned: 0,
      total: 0,
      findings: 0,
      malformed: 0,
      problems: [],
    };
    const { items } = await this.passes.join(
      {
        subject: compileSubject(subject),
        // The search before parsing (record-prefilter.ts), as for a Maildir: a message whose header
        // block cannot hold one of the subject's addresses in any reading is not parsed for it.
        keys: recordKeys(subject),
        report,
        onProgress: options.onProgress,
        folderGone: new Set(),
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
   * Lists the mailbox for a pass: the folders, and in each its UIDs in batches. A folder that
   * cannot be listed is a problem of every search that takes part; no connection or no folder
   * list fails them all.
   */
  private async plan(): Promise<MailPassSetup> {
    const client = await this.client();
    let folders: string[];
    let missing: string[];
    try {
      ({ folders, missing } = await this.folders(client));
    } catch (error) {
      throw new StoreError(this.id, `the folders cannot be listed (${this.describe(error)})`, {
        cause: error,
      });
    }
    const problems: ScanProblem[] = missing.map((folder) => ({
      where: folder,
      reason: "configured folder does not exist on the server",
      unsearched: true,
    }));
    const units: MailUnit[] = [];
    let total = 0;
    for (const folder of folders) {
      try {
        const listed = await this.inFolder(client, folder, true, async (uidValidity) => {
          const uids = (await client.search({ all: true }, { uid: true })) || [];
          return { uidValidity, uids: [...uids].sort((a, b) => a - b) };
        });
        if (!listed) continue;
        total += listed.value.uids.length;
        for (const batch of chunks(listed.value.uids, BATCH))
          units.push({ folder, uidValidity: listed.value.uidValidity, uids: batch });
      } catch (error) {
        problems.push({
          where: folder,
          reason: `folder cannot be read (${this.describe(error)})`,
          unsearched: true,
        });
      }
    }
    return { units, total, problems };
  }

  /**
   * One batch read once for every search taking part (ADR 0021): the header blocks are fetched
   * once, each viewed and parsed once and offered to exactly the searches whose own keys occur in
   * it; each of those matches it by its own subject. A message that is a match (or a delivery
   * report) for any of them is fetched whole once. What fails for one search (a header it cannot
   * parse) fails for it alone. Findings are handed over after the folder is released.
   */
  private async readUnit(
    unit: MailUnit,
    participants: readonly Participant<MailSearcher, Finding>[],
    signal: AbortSignal,
  ): Promise<void> {
    signal.throwIfAborted();
    const { folder, uidValidity, uids } = unit;
    const found = new Map<Participant<MailSearcher, Finding>, Finding[]>();
    let outcome: "read" | "renumbered" | "removed";
    try {
      const client = await this.client();
      const done = await this.inFolder(client, folder, true, async (current) => {
        if (current !== uidValidity) return false;
        await this.searchBatch(client, unit, participants, found);
        return true;
      });
      outcome = !done ? "removed" : done.value ? "read" : "renumbered";
    } catch (error) {
      if (signal.aborted) throw error;
      const reason = `${uids.length} message(s) with UID ${uids[0]} to ${uids.at(-1)} cannot be read (${this.describe(error)})`;
      for (const { own, left } of participants)
        if (!left) reportProblem(own.report, { where: folder, reason, unsearched: true });
      return;
    }
    if (outcome !== "read") {
      for (const { own, left } of participants) {
        if (left || own.folderGone.has(folder)) continue;
        own.folderGone.add(folder);
        reportProblem(own.report, {
          where: folder,
          reason:
            outcome === "renumbered"
              ? "the server renumbered the folder during the search (UIDVALIDITY changed); the rest of it was not searched"
              : "the folder was removed during the search",
          unsearched: outcome === "renumbered",
        });
      }
      return;
    }
    for (const [participant, findings] of found)
      for (const finding of findings) await participant.deliver(finding);
  }

  /** Headers of one batch for every search taking part, then the whole message of each match. */
  private async searchBatch(
    client: ImapFlow,
    { folder, uidValidity, uids }: MailUnit,
    participants: readonly Participant<MailSearcher, Finding>[],
    found: Map<Participant<MailSearcher, Finding>, Finding[]>,
  ): Promise<void> {
    const candidates: {
      uid: number;
      fields: () => ReturnType<typeof parseHeaderBlock>;
      internalDate: Date | null;
      /** The searches it is offered to, each with its match from the headers (null: a report, or one it forwards). */
      hits: { participant: Participant<MailSearcher, Finding>; hit: MessageMatch | null }[];
    }[] = [];
    /** Multipart messages and the searches their headers do not concern: they may forward a report. */
    const lookInto = new Map<
      number,
      { candidate: (typeof candidates)[number]; others: typeof participants }
    >();
    for await (const message of client.fetch(
      uids.join(","),
      { uid: true, headers: true, internalDate: true },
      { uid: true },
    )) {
      const active = countRecordRead(participants);
      if (active.length === 0) continue;
      const head = message.headers ?? Buffer.alloc(0);
      const view = once(() => headerViewOfBlock(head));
      const fields = once(() => parseHeaderBlock(head));
      const hits: (typeof candidates)[number]["hits"] = [];
      const others: Participant<MailSearcher, Finding>[] = [];
      for (const participant of active) {
        const { own } = participant;
        try {
          if (!headerMayConcern(view(), own.keys)) {
            others.push(participant);
            continue;
          }
          const hit = matchHeaders(fields(), own.subject);
          if (hit || isDeliveryReport(fields())) hits.push({ participant, hit });
          else others.push(participant);
        } catch (error) {
          own.report.malformed++;
          reportProblem(own.report, {
            where: imapRef(folder, uidValidity, message.uid),
            reason: `message headers cannot be parsed (${(error as Error).name})`,
            unsearched: true,
          });
        }
      }
      const candidate = {
        uid: message.uid,
        fields,
        internalDate: message.internalDate ? new Date(message.internalDate) : null,
        hits,
      };
      if (hits.length > 0) candidates.push(candidate);
      if (others.length > 0 && mayEmbedReport(head)) lookInto.set(message.uid, { candidate, others });
    }
    // A report forwarded inside a message names its recipients in a part of it (mail-message.server.ts,
    // "Reports"): the server's BODYSTRUCTURE tells which multipart messages hold a message or a report
    // part, and only those are fetched whole, once, and read for the searches their headers left out.
    if (lookInto.size > 0) {
      for await (const message of client.fetch(
        [...lookInto.keys()].join(","),
        { uid: true, bodyStructure: true },
        { uid: true },
      )) {
        const entry = lookInto.get(message.uid);
        if (!entry || !message.bodyStructure || !holdsMessagePart(message.bodyStructure)) continue;
        const { candidate, others } = entry;
        if (candidate.hits.length === 0) candidates.push(candidate);
        for (const participant of others) candidate.hits.push({ participant, hit: null });
      }
      candidates.sort((a, b) => a.uid - b.uid);
    }
    for (const candidate of candidates) {
      const ref = imapRef(folder, uidValidity, candidate.uid);
      const whole = await client.fetchOne(String(candidate.uid), { uid: true, source: true }, { uid: true });
      // Expunged by a client since its headers were read: no longer held.
      if (!whole || !whole.source) continue;
      const source = whole.source;
      // Parsed once, for however many searches it is found for.
      const body = once(() => parseMessageBody(candidate.fields(), source));
      for (const { participant, hit: headerHit } of candidate.hits) {
        if (participant.left) continue;
        const { own } = participant;
        const hit = headerHit ?? matchDeliveryReport(await body(), own.subject);
        if (!hit) {
          // A report it cannot read may be this search's record: not searched, never guessed.
          const unread = unreadReportsProblem(await body());
          if (unread) reportProblem(own.report, { where: ref, reason: unread, unsearched: true });
          continue;
        }
        const described = await describeMessage(folder, candidate.fields(), source, hit, body());
        if (described.bodyProblem)
          reportProblem(own.report, { where: ref, reason: described.bodyProblem, unsearched: false });
        const list = found.get(participant) ?? [];
        found.set(participant, list);
        list.push({
          store: this.id,
          storeKind: this.kind,
          processingActivityId: described.activity,
          ref,
          matchedIdentifier: described.identifier,
          unproven: !described.identifier.proven,
          role: described.role,
          flags: described.flags,
          recordedAt: described.recordedAt ?? candidate.internalDate,
          content: described.content,
        });
      }
    }
  }

  /**
   * The frame of a change: folder by folder, the referenced messages still there under their
   * reference (same UIDVALIDITY, still in the folder) with their flags; the others count as not
   * found. A connection that fails, or a folder that throws, fails its references with the reason.
   */
  private async changeByFolder(
    refs: readonly string[],
    change: (
      client: ImapFlow,
      present: { ref: string; parsed: ImapRef; flags: Set<string> }[],
      result: ChangeResult,
    ) => Promise<void>,
  ): Promise<ChangeResult> {
    const result = emptyChange();
    const { folders, malformed } = byFolder(refs);
    result.notFound += malformed.length;
    let client: ImapFlow;
    try {
      client = await this.client();
    } catch (error) {
      result.failures.push(
        ...[...folders.values()].flat().map(({ ref }) => ({ ref, reason: this.describe(error) })),
      );
      return result;
    }
    for (const [folder, entries] of folders) {
      try {
        const done = await this.inFolder(client, folder, false, async (uidValidity) => {
          const current = entries.filter((e) => e.parsed.uidValidity === uidValidity);
          result.notFound += entries.length - current.length;
          const flags = await this.flagsOf(
            client,
            current.map((e) => e.parsed.uid),
          );
          const present = current.flatMap((e) => {
            const has = flags.get(e.parsed.uid);
            if (!has) result.notFound++;
            return has ? [{ ...e, flags: has }] : [];
          });
          if (present.length > 0) await change(client, present, result);
        });
        if (!done) result.notFound += entries.length;
      } catch (error) {
        for (const { ref } of entries) {
          if (!result.failures.some((f) => f.ref === ref))
            result.failures.push({ ref, reason: this.describe(error) });
        }
      }
    }
    return result;
  }

  erase(refs: readonly string[]): Promise<ChangeResult> {
    return this.changeByFolder(refs, async (client, present, result) => {
      const targets = present.filter((e) => {
        if (e.flags.has(LEGAL_HOLD_KEYWORD)) result.skippedOnHold++;
        return !e.flags.has(LEGAL_HOLD_KEYWORD);
      });
      if (targets.length === 0) return;
      if (!client.capabilities.has("UIDPLUS")) {
        for (const { ref } of targets)
          result.failures.push({
            ref,
            reason: "the server cannot expunge single messages (no UIDPLUS); nothing was deleted",
          });
        return;
      }
      for (const batch of chunks(targets, BATCH)) {
        const ok = await client.messageDelete(batch.map((e) => e.parsed.uid).join(","), { uid: true });
        if (!ok)
          for (const { ref } of batch)
            result.failures.push({ ref, reason: "the server refused to delete the message" });
      }
      // Done only when a second look no longer finds the message.
      const still = await this.flagsOf(
        client,
        targets.map((e) => e.parsed.uid),
      );
      for (const { ref, parsed } of targets) {
        if (result.failures.some((f) => f.ref === ref)) continue;
        if (still.has(parsed.uid))
          result.failures.push({ ref, reason: "the message is still in the folder after the deletion" });
        else result.changed++;
      }
    });
  }

  restrict(refs: readonly string[], hold: boolean, holder: string): Promise<ChangeResult> {
    const own = `${HOLDER_PREFIX}${holder}`;
    /** Does the message show the holder's hold set, or lifted (no own keyword, no hold nobody owns)? */
    const shows = (flags: ReadonlySet<string>) =>
      hold
        ? flags.has(LEGAL_HOLD_KEYWORD) && flags.has(own)
        : !flags.has(own) && (!flags.has(LEGAL_HOLD_KEYWORD) || holdersIn(flags).length > 0);
    return this.changeByFolder(refs, async (client, present, result) => {
      const targets = present.filter((e) => !shows(e.flags));
      if (targets.length === 0) return;
      const permanent = client.mailbox ? client.mailbox.permanentFlags : undefined;
      // The case's own keyword is a new one each time: a folder that keeps only listed keywords cannot hold it.
      if (hold && permanent && !permanent.has("\\*")) {
        for (const { ref } of targets)
          result.failures.push({
            ref,
            reason: `the folder does not keep new keywords (PERMANENTFLAGS without \\*), so the case's hold ${own} cannot be set`,
          });
        return;
      }
      const range = (group: typeof targets) => group.map((e) => e.parsed.uid).join(",");
      if (hold) await client.messageFlagsAdd(range(targets), [LEGAL_HOLD_KEYWORD, own], { uid: true });
      else {
        await client.messageFlagsRemove(range(targets), [own], { uid: true });
        // $LegalHold goes with the last holder (or when nobody owned it).
        const last = targets.filter((e) => holdersIn(e.flags).every((h) => h === holder));
        if (last.length) await client.messageFlagsRemove(range(last), [LEGAL_HOLD_KEYWORD], { uid: true });
      }
      const after = await this.flagsOf(
        client,
        targets.map((e) => e.parsed.uid),
      );
      for (const { ref, parsed } of targets) {
        const now = after.get(parsed.uid);
        if (now && shows(now)) result.changed++;
        else
          result.failures.push({
            ref,
            reason: now
              ? "the server did not keep the change of the legal hold keyword"
              : "the message was removed meanwhile",
          });
      }
    });
  }

  async rectify(): Promise<ChangeResult> {
    throw new UnsupportedOperationError(this.id, "rectification of a received or sent message");
  }

  async inspect(refs: readonly string[]): Promise<Map<string, RecordState>> {
    const states = new Map<string, RecordState>();
    const { folders, malformed } = byFolder(refs);
    for (const ref of malformed) states.set(ref, { state: "absent", held: false, holders: [] });
    let client: ImapFlow;
    try {
      client = await this.client();
    } catch (error) {
      for (const ref of refs)
        if (!states.has(ref)) states.set(ref, { state: "unknown", reason: this.describe(error) });
      return states;
    }
    for (const [folder, entries] of folders) {
      try {
        const done = await this.inFolder(client, folder, true, async (uidValidity) => {
          const current = entries.filter((e) => e.parsed.uidValidity === uidValidity);
          const flags = await this.flagsOf(
            client,
            current.map((e) => e.parsed.uid),
          );
          for (const { ref, parsed } of entries) {
            const has = parsed.uidValidity === uidValidity ? flags.get(parsed.uid) : undefined;
            states.set(
              ref,
              has
                ? { state: "present", ...holdIn(has), fields: {} }
                : { state: "absent", held: false, holders: [] },
            );
          }
        });
        if (!done)
          for (const { ref } of entries) states.set(ref, { state: "absent", held: false, holders: [] });
      } catch (error) {
        for (const { ref } of entries) states.set(ref, { state: "unknown", reason: this.describe(error) });
      }
    }
    return states;
  }

  async check(): Promise<StoreCheck> {
    try {
      const client = await this.client();
      const { folders, missing } = await this.folders(client);
      if (missing.length)
        return { ok: false, reason: `configured folder(s) missing on the server: ${missing.join(", ")}` };
      if (!client.capabilities.has("UIDPLUS"))
        return {
          ok: false,
          reason: "the server cannot expunge single messages (no UIDPLUS): erasure is not possible",
        };
      return {
        ok: true,
        detail: `logged in at ${this.config.host}:${this.port}, ${folders.length} folder(s)`,
      };
    } catch (error) {
      return { ok: false, reason: this.describe(error) };
    }
  }

  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = null;
    const client = await pending?.catch(() => null);
    if (!client) return;
    try {
      if (client.usable) await client.logout();
    } catch {
      // The server went away first: nothing left to end.
    } finally {
      client.close();
    }
  }

  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.email);
    if (!rule) return result;
    const client = await this.client();
    const { folders } = await this.folders(client);
    for (const folder of folders) {
      await this.inFolder(client, folder, false, async () => {
        if (!client.mailbox || client.mailbox.exists === 0) return;
        const expired: { uid: number; at: Date }[] = [];
        const messages = client.fetch(
          "1:*",
          { uid: true, flags: true, internalDate: true, headers: ["date"] },
          { uid: false },
        );
        for await (const message of messages) {
          const internal = message.internalDate ? new Date(message.internalDate) : null;
          const at =
            internal && !Number.isNaN(internal.getTime())
              ? internal
              : dateOf(parseHeaderBlock(message.headers ?? Buffer.alloc(0)));
          if (!at) {
            result.malformed++;
            continue;
          }
          if (!rule.isExpired(at, now)) continue;
          if (message.flags?.has(LEGAL_HOLD_KEYWORD)) result.skippedOnHold++;
          else expired.push({ uid: message.uid, at });
        }
        if (expired.length === 0) return;
        if (!client.capabilities.has("UIDPLUS"))
          throw new StoreError(
            this.id,
            "the server cannot expunge single messages (no UIDPLUS); nothing was swept",
          );
        for (const batch of chunks(expired, BATCH))
          await client.messageDelete(batch.map((e) => e.uid).join(","), { uid: true });
        const still = await this.flagsOf(
          client,
          expired.map((e) => e.uid),
        );
        for (const { uid, at } of expired) {
          if (still.has(uid)) continue;
          result.deleted++;
          noteAffected(result, at);
        }
      });
    }
    return result;
  }
}
