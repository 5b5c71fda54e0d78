/**
 * Maildir++ mailboxes (Poststelle, support). A message is one record; it is found by an address or
 * display name in From, To, Cc or Reply-To, and a fax delivered by the gateway by the sender's
 * number. Headers are parsed first; only a matching message is parsed whole.
 */
import { open, readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type AddressObject, simpleParser } from "mailparser";
import { PROCESSING_ACTIVITY } from "../activities";
import {
  type ChangeResult,
  type ConnectorCapabilities,
  emptySweepResult,
  type Finding,
  type FindOptions,
  type MatchedIdentifier,
  noteAffected,
  ruleFor,
  type ScanReport,
  type SourceConnector,
  StoreError,
  type Subject,
  type SweepResult,
  type SweepRules,
  UnsupportedOperationError,
} from "../connector";
import { HoldList } from "../files.server";
import { bestMatch, type CompiledSubject, compileSubject } from "../subject";

interface MessageFile {
  /** "INBOX/<unique name>" or ".Sent/<unique name>": stable across the cur/new move and flags. */
  ref: string;
  abs: string;
  size: number;
}

const HEADER_LIMIT = 64 * 1024;

async function readHeaderBlock(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(HEADER_LIMIT);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_LIMIT, 0);
    const head = buffer.subarray(0, bytesRead);
    const end = head.indexOf("\r\n\r\n") >= 0 ? head.indexOf("\r\n\r\n") : head.indexOf("\n\n");
    return end >= 0 ? head.subarray(0, end + 2) : head;
  } finally {
    await handle.close();
  }
}

/** The Date header read directly: mailparser turns an unreadable date into "now", which a sweep must not see. */
function dateHeader(head: Buffer): Date | null {
  const match = /^Date:[ \t]*(.+(?:\r?\n[ \t].+)*)/im.exec(head.toString("latin1"));
  if (!match) return null;
  const date = new Date(match[1]!.replace(/\r?\n[ \t]+/g, " ").trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

function addresses(value: AddressObject | AddressObject[] | undefined): { name: string; address: string }[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value).flatMap(function flatten(v): { name: string; address: string }[] {
    return v.group ? v.group.flatMap(flatten) : [{ name: v.name ?? "", address: v.address ?? "" }];
  });
}

export class MaildirConnector implements SourceConnector {
  readonly kind = "maildir" as const;
  readonly capabilities: ConnectorCapabilities = { erase: true, restrict: true, rectifyFields: [] };

  constructor(
    readonly id: string,
    private readonly root: string,
  ) {}

  private async messages(): Promise<MessageFile[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch (error) {
      throw new StoreError(this.id, `cannot read the mailbox ${this.root} (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
    }
    const folders = ["INBOX", ...entries.filter((e) => e.startsWith(".") && !e.startsWith(".legal-hold")).sort()];
    const files: MessageFile[] = [];
    for (const folder of folders) {
      for (const sub of ["cur", "new"]) {
        const dir = join(this.root, folder === "INBOX" ? "" : folder, sub);
        const names = await readdir(dir).catch(() => [] as string[]);
        for (const name of names.sort()) {
          const abs = join(dir, name);
          const info = await stat(abs);
          if (info.isFile()) files.push({ ref: `${folder}/${name.split(":")[0]}`, abs, size: info.size });
        }
      }
    }
    return files;
  }

  private match(parsed: Awaited<ReturnType<typeof simpleParser>>, subject: CompiledSubject) {
    const candidates: { id: MatchedIdentifier | null; role: Finding["role"] }[] = [];
    const check = (list: { name: string; address: string }[], role: Finding["role"]) => {
      for (const a of list) candidates.push({ id: bestMatch(subject.email(a.address), subject.name(a.name)), role });
    };
    check(addresses(parsed.from), "sender");
    check(addresses(parsed.replyTo), "sender");
    check(addresses(parsed.to), "recipient");
    check(addresses(parsed.cc), "cc");
    const faxSender = parsed.headers.get("x-fax-sender");
    if (typeof faxSender === "string") candidates.push({ id: subject.phone(faxSender), role: "sender" });
    const found = candidates.filter((c) => c.id);
    if (found.length === 0) return null;
    const best = bestMatch(...found.map((c) => c.id))!;
    return { identifier: best, role: found.find((c) => c.id === best)!.role, fax: typeof faxSender === "string" };
  }

  async *find(subject: Subject, options: FindOptions = {}): AsyncGenerator<Finding> {
    const compiled = compileSubject(subject);
    const files = await this.messages();
    const report: ScanReport = { unit: "records", scanned: 0, total: files.length, findings: 0, malformed: 0, problems: [] };
    for (const file of files) {
      options.signal?.throwIfAborted();
      report.scanned++;
      options.onProgress?.({ unit: "records", scanned: report.scanned, total: report.total });
      try {
        const headBytes = await readHeaderBlock(file.abs);
        const hit = this.match(await simpleParser(headBytes), compiled);
        if (!hit) continue;
        const message = await simpleParser(await readFile(file.abs));
        const others = [...addresses(message.to), ...addresses(message.cc)].length > 1;
        report.findings++;
        yield {
          store: this.id,
          storeKind: this.kind,
          processingActivityId: hit.fax ? PROCESSING_ACTIVITY.fax : PROCESSING_ACTIVITY.email,
          ref: file.ref,
          matchedIdentifier: hit.identifier,
          unproven: !hit.identifier.proven,
          role: hit.role,
          flags: others || hit.role === "cc" ? ["third-party-data"] : [],
          recordedAt: dateHeader(headBytes),
          content: {
            folder: file.ref.split("/")[0]!,
            messageId: message.messageId ?? null,
            from: message.from?.text ?? null,
            to: addresses(message.to).map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)),
            cc: addresses(message.cc).map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)),
            subject: message.subject ?? null,
            date: dateHeader(headBytes)?.toISOString() ?? null,
            text: message.text ?? null,
            attachments: message.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
            ...(hit.fax ? { faxSender: String(message.headers.get("x-fax-sender")) } : {}),
          },
        };
      } catch (error) {
        report.malformed++;
        report.problems.push(`${file.ref}: unreadable message (${(error as Error).message})`);
      }
    }
    options.onReport?.(report);
  }

  async erase(refs: readonly string[]): Promise<ChangeResult> {
    const holds = await HoldList.open(this.root);
    const byRef = new Map((await this.messages()).map((m) => [m.ref, m]));
    const result: ChangeResult = { changed: 0, notFound: 0, skippedOnHold: 0 };
    for (const ref of refs) {
      const message = byRef.get(ref);
      if (holds.has(ref)) result.skippedOnHold++;
      else if (!message) result.notFound++;
      else {
        await unlink(message.abs);
        result.changed++;
      }
    }
    return result;
  }

  async restrict(refs: readonly string[], hold: boolean): Promise<ChangeResult> {
    return { changed: await HoldList.update(this.root, refs, hold), notFound: 0, skippedOnHold: 0 };
  }

  async rectify(): Promise<ChangeResult> {
    throw new UnsupportedOperationError(this.id, "rectification of a received or sent message");
  }

  async sweep(now: Date, rules: SweepRules): Promise<SweepResult> {
    const result = emptySweepResult();
    const rule = ruleFor(rules, PROCESSING_ACTIVITY.email);
    if (!rule) return result;
    const holds = await HoldList.open(this.root);
    for (const file of await this.messages()) {
      const at = dateHeader(await readHeaderBlock(file.abs));
      if (!at) {
        result.malformed++;
        continue;
      }
      if (!rule.isExpired(at, now)) continue;
      if (holds.has(file.ref)) {
        result.skippedOnHold++;
        continue;
      }
      await unlink(file.abs);
      result.deleted++;
      noteAffected(result, at);
    }
    return result;
  }
}
