/**
 * Call detail records of the telephone exchange: one semicolon-separated CSV per day, numbers as the
 * exchange writes them (E.164, 0049…, national with trunk 0), internal extensions, anonymous callers
 * and a few broken lines.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { csvRecord } from "#app/core/csv";
import { lineHash, lineRef } from "../files.server";
import { formatBerlinLocal } from "../time";
import { type SampleContext, timeOnDay } from "./context";
import { SAMPLE_STORES } from "./layout";
import { phoneNotations, randomGermanPhone, type Phone } from "./people";
import type { Rng } from "./prng";

const CALL_COLUMNS = [
  "call_id",
  "start",
  "duration_s",
  "direction",
  "caller",
  "callee",
  "extension",
  "result",
] as const;

interface Call {
  at: Date;
  fields: string[];
  personId: string | null;
}

function exchangeNotation(rng: Rng, phone: Phone): string {
  const all = phoneNotations(phone);
  // The exchange writes machine forms; people's notations reach it through manual call-back entries.
  const machine =
    phone.country === "49"
      ? [phone.e164, all[2]!, `0${phone.area}${phone.subscriber}`]
      : [phone.e164, all[1]!];
  return rng.chance(0.8) ? rng.pick(machine) : rng.pick(all);
}

export async function writeCallRecords(ctx: SampleContext): Promise<void> {
  const rng = ctx.rng.fork("calls");
  const calls: Call[] = [];
  const callDays = ctx.days.slice(-Math.min(ctx.days.length, 35));
  const call = (at: Date, external: string, inbound: boolean, personId: string | null) => {
    const extension = rng.pick(["3635800", "3635837", "3635812", "100"]);
    const answered = rng.chance(0.85);
    calls.push({
      at,
      personId,
      fields: [
        `${formatBerlinLocal(at).replace(/\D/g, "")}-${rng.hex(6)}`,
        formatBerlinLocal(at),
        String(answered ? rng.int(8, 1500) : 0),
        inbound ? "in" : "out",
        inbound ? external : `+4936157${extension}`,
        inbound ? `+4936157${extension}` : external,
        extension,
        answered ? "ANSWERED" : rng.pick(["NO ANSWER", "BUSY"]),
      ],
    });
  };
  for (const person of ctx.people) {
    if (!person.channels.has("calls")) continue;
    for (let i = rng.int(1, person.demo ? 4 : 3); i > 0; i--) {
      const phone = rng.pick(person.official ? [...person.phones, person.official.phone] : person.phones);
      call(
        timeOnDay(rng, rng.pick(callDays), 7, 18),
        exchangeNotation(rng, phone),
        rng.chance(0.7),
        person.id,
      );
    }
  }
  for (let i = Math.round(ctx.noise * (20 + ctx.people.length)); i > 0; i--) {
    const at = timeOnDay(rng, rng.pick(callDays), 6, 20);
    const anonymous = rng.chance(0.15);
    call(
      at,
      anonymous
        ? "anonymous"
        : exchangeNotation(rng, randomGermanPhone(rng, rng.chance(0.5) ? null : "361", ctx.registry)),
      true,
      null,
    );
  }
  const byDay = new Map<string, Call[]>();
  calls.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const c of calls) {
    const day = formatBerlinLocal(c.at).slice(0, 10);
    const list = byDay.get(day);
    if (list) list.push(c);
    else byDay.set(day, [c]);
  }
  const dir = join(ctx.out, SAMPLE_STORES.calls.path);
  await mkdir(dir, { recursive: true });
  let written = 0;
  for (const [day, dayCalls] of byDay) {
    ctx.progress(SAMPLE_STORES.calls.id, ++written, byDay.size, "days");
    const rel = `cdr-${day}.csv`;
    const header = CALL_COLUMNS.join(";");
    let offset = Buffer.byteLength(header) + 1;
    const lines = [header];
    for (const c of dayCalls) {
      const line = csvRecord(c.fields, { delimiter: ";", escapeFormulas: false });
      if (c.personId) ctx.key.add(c.personId, SAMPLE_STORES.calls.id, lineRef(rel, offset, lineHash(line)));
      lines.push(line);
      offset += Buffer.byteLength(line) + 1;
    }
    // A restart of the exchange leaves a cut line now and then.
    if (rng.chance(0.4))
      lines.push(
        rng.chance(0.5)
          ? `${dayCalls[0]!.fields.slice(0, 3).join(";")}`
          : `"unterminated;${dayCalls[0]!.fields[1]}`,
      );
    await writeFile(join(dir, rel), `${lines.join("\n")}\n`);
  }
}
