/**
 * The answer key on disk. The store writers stream every attribution to a JSON-lines file per store
 * as they write the record, so a data centre's key (millions of records over a year of logs) never
 * sits in memory; `readAnswerKey` joins the files back into one `AnswerKey`, for all people or only
 * the ones asked for.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type {
  AnswerKey,
  AnswerKeyIdentity,
  AnswerKeyIpWindow,
  AnswerKeyMeta,
  AnswerKeyPerson,
  AnswerKeyRecord,
} from "./answer-key";
import { LineFile } from "./context";
import { ANSWER_KEY_DIR, ANSWER_KEY_FILE } from "./layout";

const PERSONS = "persons.jsonl";
const IP_WINDOWS = "ip-windows.jsonl";
const recordsFile = (store: string) => join("records", `${store}.jsonl`);

/** One attribution as a line of `records/<store>.jsonl`. */
interface RecordLine {
  person: string;
  ref: string;
  role?: string;
}

interface IpWindowLine extends AnswerKeyIpWindow {
  person: string;
}

export class AnswerKeyWriter {
  private readonly dir: string;
  private readonly stores = new Map<string, LineFile>();
  private readonly windows: LineFile;
  private records = 0;

  constructor(out: string) {
    this.dir = join(out, ANSWER_KEY_DIR);
    this.windows = new LineFile(join(this.dir, IP_WINDOWS));
  }

  add(personId: string, store: string, ref: string, role?: string): void {
    let file = this.stores.get(store);
    if (!file) {
      file = new LineFile(join(this.dir, recordsFile(store)));
      this.stores.set(store, file);
    }
    const line: RecordLine = role ? { person: personId, ref, role } : { person: personId, ref };
    file.write(JSON.stringify(line));
    this.records++;
  }

  addIpWindow(personId: string, address: string, from: Date, to: Date): void {
    const line: IpWindowLine = { person: personId, address, from: from.toISOString(), to: to.toISOString() };
    this.windows.write(JSON.stringify(line));
  }

  /** Writes the persons, closes every file and writes `key.json` last. */
  finish(
    meta: Pick<AnswerKeyMeta, "seed" | "days" | "endDay">,
    persons: Iterable<AnswerKeyIdentity>,
  ): AnswerKeyMeta {
    const file = new LineFile(join(this.dir, PERSONS));
    let people = 0;
    for (const person of persons) {
      file.write(JSON.stringify(person));
      people++;
    }
    file.close();
    this.windows.close();
    for (const store of this.stores.values()) store.close();
    const complete: AnswerKeyMeta = {
      version: 2,
      ...meta,
      people,
      stores: [...this.stores.keys()].sort(),
      records: this.records,
    };
    writeFileSync(join(this.dir, "..", ANSWER_KEY_FILE), `${JSON.stringify(complete, null, 2)}\n`);
    return complete;
  }
}

/** The key's `key.json`; a clear error when the generator did not finish writing the key. */
export function readAnswerKeyMeta(out: string): AnswerKeyMeta {
  const path = join(out, ANSWER_KEY_FILE);
  if (!existsSync(path))
    throw new Error(
      `No complete answer key in ${out}: ${ANSWER_KEY_FILE} is missing (generate the sample again)`,
    );
  return JSON.parse(readFileSync(path, "utf8")) as AnswerKeyMeta;
}

/**
 * The answer key of the sample in `out`, each person's records sorted by store and reference and
 * IP windows by time. `only`: the ids to read (others are skipped line by line, so a few people of
 * a data centre's key cost a pass over the files, not their size in memory).
 */
export function readAnswerKey(out: string, only?: ReadonlySet<string>): AnswerKey {
  const meta = readAnswerKeyMeta(out);
  const dir = join(out, ANSWER_KEY_DIR);
  const persons = new Map<string, AnswerKeyPerson>();
  for (const line of lines(join(dir, PERSONS))) {
    const identity = JSON.parse(line) as AnswerKeyIdentity;
    if (only && !only.has(identity.id)) continue;
    persons.set(identity.id, {
      ...identity,
      identifiers: { ...identity.identifiers, ips: [] },
      records: [],
    });
  }
  for (const line of lines(join(dir, IP_WINDOWS))) {
    const { person, ...window } = JSON.parse(line) as IpWindowLine;
    persons.get(person)?.identifiers.ips.push(window);
  }
  for (const store of meta.stores) {
    for (const line of lines(join(dir, recordsFile(store)))) {
      const { person, ...record } = JSON.parse(line) as RecordLine;
      persons.get(person)?.records.push({ store, ...record } satisfies AnswerKeyRecord);
    }
  }
  for (const person of persons.values()) {
    person.identifiers.ips.sort((a, b) => a.from.localeCompare(b.from));
    person.records.sort((a, b) => a.store.localeCompare(b.store) || a.ref.localeCompare(b.ref));
  }
  return {
    version: 2,
    seed: meta.seed,
    people: meta.people,
    days: meta.days,
    endDay: meta.endDay,
    persons: [...persons.values()],
  };
}

/** The lines of a file, read in 1 MiB chunks (synchronous: the key is read where no await fits). */
function* lines(path: string): Generator<string> {
  const fd = openSync(path, "r");
  const buffer = Buffer.alloc(1 << 20);
  // A chunk may end inside a character; the decoder keeps its first bytes for the next chunk.
  const decoder = new StringDecoder("utf8");
  let rest = "";
  try {
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      const parts = (rest + decoder.write(buffer.subarray(0, read))).split("\n");
      rest = parts.pop()!;
      yield* parts.filter((part) => part !== "");
    }
    rest += decoder.end();
    if (rest !== "") yield rest;
  } finally {
    closeSync(fd);
  }
}
