/**
 * The answer key written beside the sample: for every person, the identifiers they have and
 * exactly which records (store + stable reference) belong to them. Tests and the demo read it.
 */
import type { LineFile } from "./context";
import { formatAddress, type SamplePerson } from "./people";

export interface AnswerKeyRecord {
  store: string;
  ref: string;
  role?: string;
}

export interface AnswerKeyIpWindow {
  address: string;
  from: string;
  to: string;
}

export interface AnswerKeyPerson {
  id: string;
  demo?: string;
  displayName: string;
  official: boolean;
  auskunftssperre: boolean;
  identifiers: {
    emails: string[];
    names: string[];
    phones: string[];
    userNames: string[];
    ips: AnswerKeyIpWindow[];
    birthDate: string;
    postalAddresses: string[];
  };
  records: AnswerKeyRecord[];
}

export interface AnswerKey {
  version: 1;
  seed: string;
  people: number;
  days: number;
  endDay: string;
  persons: AnswerKeyPerson[];
}

export class AnswerKeyBuilder {
  private readonly records = new Map<string, AnswerKeyRecord[]>();
  private readonly windows = new Map<string, AnswerKeyIpWindow[]>();

  add(personId: string, store: string, ref: string, role?: string): void {
    const list = this.records.get(personId) ?? [];
    list.push(role ? { store, ref, role } : { store, ref });
    this.records.set(personId, list);
  }

  addIpWindow(personId: string, address: string, from: Date, to: Date): void {
    const list = this.windows.get(personId) ?? [];
    list.push({ address, from: from.toISOString(), to: to.toISOString() });
    this.windows.set(personId, list);
  }

  recordsOf(personId: string): AnswerKeyRecord[] {
    return [...(this.records.get(personId) ?? [])].sort(
      (a, b) => a.store.localeCompare(b.store) || a.ref.localeCompare(b.ref),
    );
  }

  ipWindowsOf(personId: string): AnswerKeyIpWindow[] {
    return [...(this.windows.get(personId) ?? [])].sort((a, b) => a.from.localeCompare(b.from));
  }

  /** `extra`: people the key lists as they are (the messy sample's cast). */
  build(meta: AnswerKeyMeta, people: SamplePerson[], extra: AnswerKeyPerson[] = []): AnswerKey {
    return {
      ...header(meta, people.length + extra.length),
      persons: [...people.map((person) => this.entry(person)), ...extra],
    };
  }

  /** A person's entry with their identifiers and records, sorted. */
  entry(person: SamplePerson): AnswerKeyPerson {
    return {
      id: person.id,
      ...(person.demo ? { demo: person.demo } : {}),
      displayName: `${person.firstName} ${person.lastName}`,
      official: Boolean(person.official),
      auskunftssperre: person.auskunftssperre,
      identifiers: {
        emails: [person.email, ...(person.official ? [person.official.email] : [])],
        names: [`${person.firstName} ${person.lastName}`],
        phones: [
          ...person.phones.map((p) => p.e164),
          ...(person.official ? [person.official.phone.e164, person.official.fax.e164] : []),
        ],
        userNames: person.official ? [person.official.userName] : [],
        ips: this.ipWindowsOf(person.id),
        birthDate: person.birthDate,
        postalAddresses: [formatAddress(person.address)],
      },
      records: this.recordsOf(person.id),
    };
  }

  /**
   * Writes the key person by person, byte for byte what `JSON.stringify(build(...), null, 2)` gives,
   * without the whole key in memory: a data centre's key holds millions of records.
   */
  write(file: LineFile, meta: AnswerKeyMeta, people: SamplePerson[], extra: AnswerKeyPerson[] = []): void {
    const head = JSON.stringify(header(meta, people.length + extra.length), null, 2);
    file.write(`${head.slice(0, -2)},\n  "persons": [`);
    const total = people.length + extra.length;
    let index = 0;
    const put = (person: AnswerKeyPerson) => {
      const text = `    ${JSON.stringify(person, null, 2).replace(/\n/g, "\n    ")}`;
      file.write(++index < total ? `${text},` : text);
    };
    for (const person of people) put(this.entry(person));
    for (const person of extra) put(person);
    file.write("  ]\n}");
  }
}

export interface AnswerKeyMeta {
  seed: string;
  days: number;
  endDay: string;
}

function header(meta: AnswerKeyMeta, people: number): Omit<AnswerKey, "persons"> {
  return { version: 1, seed: meta.seed, people, days: meta.days, endDay: meta.endDay };
}

/** A Subject (see app/sources/connector.ts) for a key person, all identifiers proven. */
export function subjectFromKey(person: AnswerKeyPerson) {
  const proven = (value: string) => ({ value, proven: true });
  return {
    emails: person.identifiers.emails.map(proven),
    names: person.identifiers.names.map(proven),
    phones: person.identifiers.phones.map(proven),
    userNames: person.identifiers.userNames.map(proven),
    ips: person.identifiers.ips.map((w) => ({
      address: w.address,
      from: new Date(w.from),
      to: new Date(w.to),
      proven: true,
    })),
    birthDate: person.identifiers.birthDate,
    postalAddresses: person.identifiers.postalAddresses.map(proven),
  };
}
