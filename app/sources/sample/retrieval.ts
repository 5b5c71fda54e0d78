/**
 * Retrieval protocols (Abrufprotokolle) of the Beauskunftungssystem: every Melderegister look-up
 * with its XMeld-shaped request and response. The request names the requesting authority (DVDV),
 * the official with their contact data, file number, reason and the search criteria; the response
 * the hits, or only a block notice for a person with an Auskunftssperre.
 */
import { type SampleContext, pastTime, xmlEscape } from "./context";
import { SAMPLE_STORES } from "./layout";
import {
  emailVariant,
  nameVariant,
  phoneNotations,
  type PostalAddress,
  type SamplePerson,
  uniqueName,
} from "./people";
import { ANLAESSE, CITIES, STREETS } from "./pools";
import { formatIsoBerlin } from "../time";
import type { Rng } from "./prng";

export interface RetrievalRow {
  id: number;
  protokolliert_am: string;
  nachricht_id: string;
  behoerde_dvdv: string;
  sicherheitsbehoerde: boolean;
  auskunftssperre: boolean;
  anfrage_xml: string;
  antwort_xml: string;
}

interface LookedUp {
  firstName: string;
  lastName: string;
  birthDate: string;
  address: PostalAddress;
  auskunftssperre: boolean;
  personId: string | null;
}

const el = (name: string, value: string | null | undefined) =>
  value ? `<${name}>${xmlEscape(value)}</${name}>` : "";

function uuid(rng: Rng): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`;
}

function request(rng: Rng, official: SamplePerson, target: LookedUp, messageId: string, at: Date): string {
  const o = official.official!;
  const a = o.authority;
  const spelled = rng.chance(0.3)
    ? nameVariant(rng, target)
    : { first: target.firstName, last: target.lastName };
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<xmeld:datenabruf.einfacheMeldeauskunft.anfrage.1350 xmlns:xmeld="http://www.osci.de/xmeld2511a" version="2.5.1" produkt="Thüringer Beauskunftungssystem" produkthersteller="TLRZ">`,
    `<nachrichtenkopf.g2g>`,
    `<identifikation.nachricht><nachrichtenUUID>${messageId}</nachrichtenUUID><nachrichtentyp>1350</nachrichtentyp><erstellungszeitpunkt>${formatIsoBerlin(at)}</erstellungszeitpunkt></identifikation.nachricht>`,
    `<leser><verzeichnisdienst>DVDV</verzeichnisdienst><kennung>dvdv:meldb:16000000</kennung><name>Zentrales Melderegister Thüringen</name></leser>`,
    `<autor><verzeichnisdienst>DVDV</verzeichnisdienst><kennung>${a.dvdv}</kennung><name>${xmlEscape(a.name)}</name></autor>`,
    `</nachrichtenkopf.g2g>`,
    `<anfragendeStelle><behoerde>${xmlEscape(a.name)}</behoerde><dvdvKennung>${a.dvdv}</dvdvKennung><sicherheitsbehoerde>${a.security}</sicherheitsbehoerde></anfragendeStelle>`,
    `<sachbearbeiter>`,
    el("nutzerkennung", o.userId),
    el("benutzername", o.userName),
    el("vorname", official.firstName),
    el("familienname", official.lastName),
    el("telefon", rng.pick(phoneNotations(o.phone))),
    el("telefax", rng.pick(phoneNotations(o.fax))),
    el("email", emailVariant(rng, o.email)),
    `<anschrift>${el("strasse", a.street)}${el("postleitzahl", a.postcode)}${el("wohnort", a.city)}</anschrift>`,
    `</sachbearbeiter>`,
    el(
      "aktenzeichen",
      `${rng.pick(["31", "32", "II", "K1"])}-${rng.int(100, 9999)}/${formatIsoBerlin(at).slice(0, 4)}`,
    ),
    el("anlass", rng.pick(ANLAESSE)),
    `<suchkriterien>`,
    el("familienname", spelled.last),
    el("vorname", spelled.first),
    rng.chance(0.9) ? el("geburtsdatum", target.birthDate) : "",
    `</suchkriterien>`,
    `</xmeld:datenabruf.einfacheMeldeauskunft.anfrage.1350>`,
  ].join("\n");
}

function response(rng: Rng, target: LookedUp, messageId: string, at: Date, found: boolean): string {
  const head = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<xmeld:datenabruf.einfacheMeldeauskunft.antwort.1351 xmlns:xmeld="http://www.osci.de/xmeld2511a" version="2.5.1">`,
    `<nachrichtenkopf.g2g><identifikation.nachricht><nachrichtenUUID>${uuid(rng)}</nachrichtenUUID><nachrichtentyp>1351</nachrichtentyp><erstellungszeitpunkt>${formatIsoBerlin(new Date(at.getTime() + 1400))}</erstellungszeitpunkt></identifikation.nachricht><bezug>${messageId}</bezug></nachrichtenkopf.g2g>`,
  ];
  let body: string;
  if (!found) body = `<ergebnis><trefferanzahl>0</trefferanzahl></ergebnis>`;
  else if (target.auskunftssperre)
    body = `<ergebnis><trefferanzahl>1</trefferanzahl><auskunftssperre>true</auskunftssperre><hinweis>Auskunft nicht möglich</hinweis></ergebnis>`;
  else
    body = [
      `<ergebnis><trefferanzahl>1</trefferanzahl><auskunftssperre>false</auskunftssperre>`,
      `<person>${el("familienname", target.lastName)}${el("vornamen", target.firstName)}${el("geburtsdatum", target.birthDate)}`,
      `<anschrift>${el("strasse", target.address.street)}${el("hausnummer", target.address.houseNumber)}${el("postleitzahl", target.address.postcode)}${el("wohnort", target.address.city)}</anschrift>`,
      `</person></ergebnis>`,
    ].join("");
  return [...head, body, `</xmeld:datenabruf.einfacheMeldeauskunft.antwort.1351>`].join("\n");
}

/**
 * Writes the retrieval protocol's rows in id order through `emit`; returns how many. `rows`: the
 * protocol holds this many (GenerateSampleOptions.protocolRows), its officials looking up more
 * people who are not in the sample.
 */
export function generateRetrievals(
  ctx: SampleContext,
  emit: (row: RetrievalRow) => void,
  rows?: number,
): number {
  const rng = ctx.rng.fork("retrieval");
  const officials = ctx.people.filter((p) => p.official && p.channels.has("retrieval"));
  const wanted = ctx.people.filter((p) => p.channels.has("looked-up"));
  const jobs: { official: SamplePerson; target: LookedUp; at: Date; found: boolean }[] = [];
  const asTarget = (p: SamplePerson): LookedUp => ({ ...p, personId: p.id });
  const noiseTarget = (): LookedUp => {
    const city = rng.pick(CITIES);
    return {
      ...uniqueName(rng, ctx.registry),
      birthDate: `${rng.int(1940, 2005)}-0${rng.int(1, 9)}-${rng.int(10, 28)}`,
      address: {
        street: rng.pick(STREETS),
        houseNumber: String(rng.int(1, 80)),
        postcode: city.postcode,
        city: city.city,
      },
      auskunftssperre: rng.chance(0.05),
      personId: null,
    };
  };
  for (const person of wanted) {
    const times = person.demo ? 3 : rng.int(1, 2);
    for (let i = 0; i < times; i++) {
      // The demo person with a block is looked up by a security authority too.
      const pool =
        person.demo && i === 0 ? officials.filter((o) => o.official!.authority.security) : officials;
      jobs.push({
        official: rng.pick(pool.length ? pool : officials),
        target: asTarget(person),
        at: pastTime(ctx, rng, 0, 500),
        found: true,
      });
    }
  }
  for (const official of officials) {
    for (let i = rng.int(2, official.demo ? 8 : 5); i > 0; i--) {
      jobs.push({ official, target: noiseTarget(), at: pastTime(ctx, rng, 0, 500), found: rng.chance(0.85) });
    }
  }
  if (rows !== undefined) {
    if (rows < jobs.length)
      throw new RangeError(`protocolRows ${rows} is less than the people's own ${jobs.length} look-ups`);
    // A data centre's register is asked about far more people than it has known ones: the other
    // officials ask (the demo persons' look-ups stay as many as in any sample).
    const askers = officials.filter((o) => !o.demo);
    if (askers.length === 0 && rows > jobs.length) throw new RangeError("protocolRows needs officials");
    while (jobs.length < rows) {
      jobs.push({
        official: rng.pick(askers),
        target: noiseTarget(),
        at: pastTime(ctx, rng, 0, 500),
        found: rng.chance(0.85),
      });
    }
  }
  jobs.sort((a, b) => a.at.getTime() - b.at.getTime());
  jobs.forEach((job, index) => {
    const id = index + 1;
    const messageId = uuid(rng);
    const ref = `abrufprotokoll/${id}`;
    ctx.key.add(job.official.id, SAMPLE_STORES.retrieval.id, ref, "requester");
    if (job.target.personId) ctx.key.add(job.target.personId, SAMPLE_STORES.retrieval.id, ref, "looked-up");
    if (id % 10_000 === 0) ctx.progress(SAMPLE_STORES.retrieval.id, id, jobs.length, "rows");
    emit({
      id,
      protokolliert_am: job.at.toISOString(),
      nachricht_id: messageId,
      behoerde_dvdv: job.official.official!.authority.dvdv,
      sicherheitsbehoerde: job.official.official!.authority.security,
      auskunftssperre: job.found && job.target.auskunftssperre,
      anfrage_xml: request(rng, job.official, job.target, messageId, job.at),
      antwort_xml: response(rng, job.target, messageId, job.at, job.found),
    });
  });
  return jobs.length;
}
