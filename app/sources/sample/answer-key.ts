/**
 * The answer key written beside the sample: for every person, the identifiers they have and
 * exactly which records (store + stable reference) belong to them. Tests and the demo read it
 * through `readAnswerKey` (answer-key.server.ts), which joins the files the generator streams.
 */
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
  version: 2;
  seed: string;
  people: number;
  days: number;
  endDay: string;
  persons: AnswerKeyPerson[];
}

/** A person as the key lists them before the store writers' records and IP windows are joined in. */
export type AnswerKeyIdentity = Omit<AnswerKeyPerson, "records" | "identifiers"> & {
  identifiers: Omit<AnswerKeyPerson["identifiers"], "ips">;
};

/** What `answer-key/key.json` holds: written last, so its presence says the key is complete. */
export interface AnswerKeyMeta {
  version: 2;
  seed: string;
  people: number;
  days: number;
  endDay: string;
  /** Stores with a records file, in the order the key lists a person's records. */
  stores: string[];
  records: number;
}

/** A sample person's identity in the key: the identifiers a search for them would give. */
export function keyIdentity(person: SamplePerson): AnswerKeyIdentity {
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
      birthDate: person.birthDate,
      postalAddresses: [formatAddress(person.address)],
    },
  };
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
