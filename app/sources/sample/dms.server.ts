/**
 * Records management (VISkompakt): scanned letters and faxes as PDF with an XML metadata file each
 * (sender's name, postal address, e-mail, dates, closure and the archive decision of § 23 ThürDSG).
 * Some letters are signed with an initial only ("E. Mustermann"); address and family name tie them.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { type SampleContext, pastTime, xmlEscape } from "./context";
import { SAMPLE_STORES } from "./layout";
import {
  emailVariant,
  formatAddress,
  nameVariant,
  phoneNotations,
  type PostalAddress,
  type SamplePerson,
  uniqueEmail,
  uniqueName,
} from "./people";
import { CITIES, LETTER_SUBJECTS, STREETS } from "./pools";
import { renderLetterPdf, renderPlainLetterPdf } from "./pdf.server";

/** Above this many people the scans are plain PDFs (see renderPlainLetterPdf): DejaVu costs ~0.1 s each. */
const EMBEDDED_FONT_LIMIT = 2_000;

type ArchiveDecision = "not-offered" | "offered" | "not-archival" | "transferred";

interface Sender {
  firstName: string;
  lastName: string;
  address: PostalAddress;
  email: string | null;
  phone: string | null;
  personId: string | null;
}

const el = (name: string, value: string | null | undefined) =>
  value ? `    <${name}>${xmlEscape(value)}</${name}>\n` : "";

export async function writeRecords(ctx: SampleContext): Promise<void> {
  const rng = ctx.rng.fork("dms");
  let counter = 0;
  const doc = async (sender: Sender) => {
    const received = pastTime(ctx, rng, 0, 2600);
    const year = received.toISOString().slice(0, 4);
    const id = `VIS-${year}-${String(++counter).padStart(6, "0")}`;
    const channel = rng.chance(0.25) ? "Fax" : rng.chance(0.15) ? "E-Mail" : "Brief";
    const closed = rng.chance(0.75) ? new Date(received.getTime() + rng.int(5, 200) * 86_400_000) : null;
    const isClosed = closed !== null && closed.getTime() < ctx.end.getTime();
    const archive: ArchiveDecision = !isClosed
      ? "not-offered"
      : rng.pick(["not-offered", "offered", "not-archival", "not-archival", "transferred"]);
    const initialOnly = Boolean(sender.personId) && rng.chance(0.15);
    const spelled = nameVariant(rng, sender);
    const first = initialOnly ? `${[...sender.firstName][0]}.` : spelled.first;
    const subject = rng.pick(LETTER_SUBJECTS);
    const render = ctx.people.length > EMBEDDED_FONT_LIMIT ? renderPlainLetterPdf : renderLetterPdf;
    const pdf = await render(
      [
        `${first} ${spelled.last}`,
        formatAddress(sender.address),
        "",
        "Thüringer Landesrechenzentrum",
        "Postfach 80 03 05",
        "99029 Erfurt",
        "",
        subject,
        "",
        "Sehr geehrte Damen und Herren,",
        "ich bitte um Bearbeitung meines Anliegens.",
        "",
        "Mit freundlichen Grüßen",
        `${first} ${spelled.last}`,
      ],
      received,
      subject,
    );
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<vis:dokument xmlns:vis="urn:tlrz:viskompakt:metadaten:1" id="${id}">\n` +
      el("vis:aktenzeichen", `31-${rng.int(1000, 9999)}/${year}`) +
      el("vis:betreff", subject) +
      el("vis:eingangsart", channel) +
      el("vis:eingangsdatum", received.toISOString()) +
      `  <vis:absender>\n` +
      el("vis:vorname", first) +
      el("vis:nachname", spelled.last) +
      el("vis:strasse", `${sender.address.street} ${sender.address.houseNumber}`) +
      el("vis:postleitzahl", sender.address.postcode) +
      el("vis:ort", sender.address.city) +
      el("vis:email", sender.email && rng.chance(0.7) ? ` ${emailVariant(rng, sender.email)} ` : null) +
      el("vis:telefon", channel === "Fax" ? sender.phone : null) +
      `  </vis:absender>\n` +
      `  <vis:vorgang>\n` +
      el("vis:status", isClosed ? "abgeschlossen" : "offen") +
      el("vis:abschlussdatum", isClosed ? closed!.toISOString().slice(0, 10) : null) +
      el("vis:archivangebot", archive) +
      `  </vis:vorgang>\n` +
      `  <vis:datei name="${id}.pdf" sha256="${createHash("sha256").update(pdf).digest("hex")}"/>\n` +
      `</vis:dokument>\n`;
    const dir = join(ctx.out, SAMPLE_STORES.dms.path, year);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${id}.pdf`), pdf);
    await writeFile(join(dir, `${id}.xml`), xml);
    if (sender.personId) ctx.key.add(sender.personId, SAMPLE_STORES.dms.id, id, "sender");
  };
  const fromPerson = (p: SamplePerson): Sender => ({
    firstName: p.firstName,
    lastName: p.lastName,
    address: p.address,
    email: p.email,
    phone: rng.pick(phoneNotations(rng.pick(p.phones))),
    personId: p.id,
  });
  for (const [index, person] of ctx.people.entries()) {
    if (index % 5_000 === 0) ctx.progress(SAMPLE_STORES.dms.id, index, ctx.people.length, "people");
    if (person.channels.has("dms"))
      for (let i = rng.int(1, person.demo ? 3 : 2); i > 0; i--) await doc(fromPerson(person));
  }
  for (let i = Math.round(ctx.noise * (5 + ctx.people.length / 5)); i > 0; i--) {
    const name = uniqueName(rng, ctx.registry);
    const city = rng.pick(CITIES);
    await doc({
      ...name,
      address: {
        street: rng.pick(STREETS),
        houseNumber: String(rng.int(121, 400)),
        postcode: city.postcode,
        city: city.city,
      },
      email: rng.chance(0.5) ? uniqueEmail(rng, ctx.registry, name.firstName, name.lastName) : null,
      phone: null,
      personId: null,
    });
  }
}
