/**
 * The people of the "as found in the wild" sample (`--messy`): a small, fixed cast chosen for what
 * makes matching hard in a real data centre — a family at one address (husband, wife, a
 * mother-in-law whose double name ends with his), a namesake born on another day, a title in the
 * display name, a middle name, an address at an internationalised mail domain. Every store writer
 * of the messy sample writes records of these people and tells the answer key whose they are;
 * records of people outside the cast (strangers) are written too and belong to nobody.
 *
 * Identifiers are fixed (no randomness) so that tests and the quality command can name them.
 */
import type { AnswerKeyIdentity } from "../answer-key";

export interface MessyPerson {
  id: string;
  /** Given names as the registry holds them; the first is the call name. */
  givenNames: string[];
  familyName: string;
  /** An academic title some records put before the name ("Dr."). */
  title?: string;
  birthDate: string;
  /** Street and number, postcode, city: what letters and registers write. */
  address: { street: string; houseNumber: string; postcode: string; city: string };
  /** In Unicode (IDN) form; records may write the domain as punycode. */
  email: string;
  /** E.164. */
  phone: string;
  ipv4: string;
  ipv6: string;
  userName?: string;
}

const HOME = { street: "Rosmarinweg", houseNumber: "12", postcode: "99089", city: "Erfurt" };

export const MESSY_CAST = {
  /** The person who asks: Dr. Jörg Peter Müller, called Jörg, mail at a domain with an umlaut. */
  joerg: {
    id: "messy-joerg",
    givenNames: ["Jörg", "Peter"],
    familyName: "Müller",
    title: "Dr.",
    birthDate: "1980-01-01",
    address: HOME,
    email: "joerg@müller-bau.example",
    phone: "+493619876543",
    ipv4: "192.0.2.44",
    ipv6: "2001:db8:44:1::44",
    userName: "jpmueller",
  },
  /** His wife: same family name, same address, same landline. Never his records, nor he hers. */
  anna: {
    id: "messy-anna",
    givenNames: ["Anna"],
    familyName: "Müller",
    birthDate: "1982-06-15",
    address: HOME,
    email: "anna.mueller@example.net",
    phone: "+4915209876543",
    ipv4: "192.0.2.45",
    ipv6: "2001:db8:44:1::45",
  },
  /** His mother-in-law, living with them: a double name that ends with his family name. */
  gerda: {
    id: "messy-gerda",
    givenNames: ["Gerda"],
    familyName: "Schmidt-Müller",
    birthDate: "1951-03-09",
    address: HOME,
    email: "gerda.schmidt-mueller@example.org",
    phone: "+4917609876543",
    ipv4: "192.0.2.46",
    ipv6: "2001:db8:44:1::46",
  },
  /** A namesake: Jörg Müller too, born on another day, living in Gotha. */
  namesake: {
    id: "messy-namesake",
    givenNames: ["Jörg"],
    familyName: "Müller",
    birthDate: "1975-05-05",
    address: { street: "Brühl", houseNumber: "3", postcode: "99867", city: "Gotha" },
    email: "j.mueller75@example.com",
    phone: "+4936211234567",
    ipv4: "192.0.2.47",
    ipv6: "2001:db8:44:2::47",
  },
  /** An official of a registration office who runs look-ups, written with numeric character references and in Latin-1 files. */
  renate: {
    id: "messy-renate",
    givenNames: ["Renate"],
    familyName: "Kühn-Ößwald",
    birthDate: "1969-09-30",
    address: { street: "Marktstraße", houseNumber: "1", postcode: "99423", city: "Weimar" },
    email: "renate.kuehn-oesswald@weimar.example",
    phone: "+493643762222",
    ipv4: "192.0.2.48",
    ipv6: "2001:db8:44:3::48",
    userName: "rkuehnoesswald",
  },
} as const satisfies Record<string, MessyPerson>;

export type MessyCastKey = keyof typeof MESSY_CAST;

/** Names, addresses and mail addresses of the cast, so that the ordinary sample's people never take them. */
export function castNames(): string[] {
  return Object.values(MESSY_CAST).flatMap((p: MessyPerson) => [
    `${p.givenNames[0]} ${p.familyName}`,
    `${p.givenNames.join(" ")} ${p.familyName}`,
  ]);
}

function formatCastAddress(p: MessyPerson): string {
  return `${p.address.street} ${p.address.houseNumber}, ${p.address.postcode} ${p.address.city}`;
}

/**
 * The cast member as the answer key lists them: the identifiers the person would give (call name
 * and family name, one address, one mail, one phone); the store writers stream their IP windows
 * and records to the key.
 */
export function castKeyPerson(p: MessyPerson): AnswerKeyIdentity {
  return {
    id: p.id,
    displayName: `${p.givenNames[0]} ${p.familyName}`,
    official: Boolean(p.userName),
    auskunftssperre: false,
    identifiers: {
      emails: [p.email],
      names: [`${p.givenNames[0]} ${p.familyName}`],
      phones: [p.phone],
      userNames: p.userName ? [p.userName] : [],
      birthDate: p.birthDate,
      postalAddresses: [formatCastAddress(p)],
    },
  };
}
