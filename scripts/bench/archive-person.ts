/**
 * The person of the answer benchmarks: 100 000 findings of 300–600 bytes of content spread over all
 * store kinds, as the stores' connectors deliver them, with a few redactions.
 */
import type { ReleasedFinding, ReleasedFindings } from "#app/server/answers/answer-input";
import type { JsonObject, StoreKind } from "#app/sources/connector";
import type { StoreActivityId } from "#app/core/processing-activities";
import { AUTHORITIES, FAMILY_NAMES, GIVEN_NAMES, PAGES, USER_AGENTS } from "#app/sources/sample/pools";
import { Rng } from "#app/sources/sample/prng";

export const FINDINGS = 100_000;
export const EMAIL = "erika.musterfrau@example.org";
export const NAME = "Erika Musterfrau";
const START = Date.parse("2025-01-01T00:00:00Z");

interface StorePlan {
  store: string;
  kind: StoreKind;
  share: number;
  activity: (rng: Rng) => StoreActivityId;
  content: (rng: Rng, i: number, at: Date) => { content: JsonObject; redact?: string };
}

const words =
  "Anfrage Auskunft Melderegister Zugang Passwort Bescheid Frist Unterlagen Rückfrage Änderung Straße Gebühr Vorgang Termin Bestätigung".split(
    " ",
  );
const sentence = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.pick(words)).join(" ");
const person = (rng: Rng) => `${rng.pick(GIVEN_NAMES)} ${rng.pick(FAMILY_NAMES)}`;

const PLANS: StorePlan[] = [
  {
    store: "web-tsr",
    kind: "nginx-access-log",
    share: 0.35,
    activity: () => "website-visit",
    content: (rng, _i, at) => {
      const request = `GET ${rng.pick(PAGES)} HTTP/1.1`;
      const agent = rng.pick(USER_AGENTS);
      const status = rng.pick([200, 200, 200, 304, 404]);
      const bytes = rng.int(300, 90_000);
      const raw = `198.51.100.23 - - [${at.toISOString()}] "${request}" ${status} ${bytes} "https://tsr.thueringen.de/" "${agent}"`;
      return {
        content: {
          raw,
          remoteAddr: "198.51.100.23",
          time: at.toISOString(),
          request,
          status,
          bytes,
          referer: "https://tsr.thueringen.de/",
          userAgent: agent,
          forwardedFor: [],
        },
      };
    },
  },
  {
    store: "login-beaus",
    kind: "login-jsonl",
    share: 0.1,
    activity: () => "beauskunftung-login",
    content: (rng, _i, at) => {
      const fields = {
        ts: at.toISOString(),
        user: "emusterfrau",
        firstName: "Erika",
        lastName: "Musterfrau",
        ip: "198.51.100.23",
        result: rng.pick(["success", "success", "wrong-password"]),
        client: rng.pick(USER_AGENTS),
      };
      return { content: { raw: JSON.stringify(fields), ...fields } };
    },
  },
  {
    store: "abrufprotokolle",
    kind: "retrieval-protocol-db",
    share: 0.1,
    activity: () => "retrieval-protocol",
    content: (rng, i, at) => {
      const authority = rng.pick(AUTHORITIES);
      return {
        content: {
          id: i,
          protokolliertAm: at.toISOString(),
          behoerde: authority.name,
          dvdvKennung: `dvdv:${rng.hex(12)}`,
          sicherheitsbehoerde: false,
          auskunftssperre: false,
          aktenzeichen: `AZ-${rng.digits(6)}`,
          anlass: sentence(rng, 4),
          sachbearbeiter: {
            benutzername: "emusterfrau",
            vorname: "Erika",
            familienname: "Musterfrau",
            telefon: "+49 361 5550100",
            email: EMAIL,
          },
          suchkriterien: {
            familienname: rng.pick(FAMILY_NAMES),
            vorname: rng.pick(GIVEN_NAMES),
            geburtsdatum: `19${rng.int(40, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
          },
          trefferanzahl: rng.int(0, 2),
        },
        redact: "suchkriterien",
      };
    },
  },
  {
    store: "servicedesk",
    kind: "servicedesk-db",
    share: 0.1,
    activity: (rng) => (rng.chance(0.3) ? "contact-form" : "support-ticket"),
    content: (rng, i, at) => ({
      content: {
        table: "ticket",
        id: i,
        number: `T${rng.digits(8)}`,
        title: sentence(rng, 5),
        state: rng.pick(["open", "closed"]),
        customer_email: EMAIL,
        customer_name: NAME,
        created_at: at.toISOString(),
        body: sentence(rng, 30),
      },
    }),
  },
  {
    store: "mail-support",
    kind: "maildir",
    share: 0.15,
    activity: () => "email",
    content: (rng, i, at) => {
      const cc = rng.chance(0.2) ? [`${person(rng)} <kollege${i}@example.net>`] : [];
      return {
        content: {
          folder: "cur",
          messageId: `<${rng.hex(16)}@example.org>`,
          from: `${NAME} <${EMAIL}>`,
          to: ["support@tlrz.thueringen.de"],
          cc,
          subject: sentence(rng, 6),
          date: at.toISOString(),
          text: `Guten Tag,\n${sentence(rng, 25)}\nMit freundlichen Grüßen\n${NAME}`,
          attachments: [],
        },
        redact: cc.length ? "cc.0" : undefined,
      };
    },
  },
  {
    store: "telefon",
    kind: "call-records-csv",
    share: 0.15,
    activity: () => "telephone",
    content: (rng, _i, at) => {
      const fields = {
        direction: "in",
        caller: "+4936155501000",
        callee: `+49361573${rng.digits(6)}`,
        duration: String(rng.int(5, 900)),
        trunk: `T${rng.int(1, 8)}`,
        extension: rng.digits(4),
      };
      return {
        content: {
          raw: `${at.toISOString()};${Object.values(fields).join(";")}`,
          ...fields,
          time: at.toISOString(),
          note: sentence(rng, 20),
        },
      };
    },
  },
  {
    store: "viskompakt",
    kind: "records-management",
    share: 0.05,
    activity: () => "records-management",
    content: (rng, _i, at) => ({
      content: {
        aktenzeichen: `TLRZ-${rng.digits(4)}/${rng.digits(2)}`,
        eingang: at.toISOString(),
        betreff: sentence(rng, 6),
        absender: {
          vorname: "Erika",
          nachname: "Musterfrau",
          strasse: "Musterweg 1",
          postleitzahl: "99084",
          ort: "Erfurt",
          email: EMAIL,
        },
        dokument: `scan-${rng.hex(10)}.pdf`,
        vermerk: sentence(rng, 15),
      },
    }),
  },
];

/** Distinct contents per store; findings cycle through them, a pool far wider than deflate's 32 KiB window. */
const POOL = 500;

/**
 * Findings made on the fly, the same on every pass, like rows of an ordered query. Their contents
 * come from a pool made once, so that the timing is the archive's and not the sample generator's.
 */
export function generatedFindings(total: number): ReleasedFindings {
  const pools = new Map(
    PLANS.map((plan) => {
      const rng = new Rng(`answer-bench:${plan.store}`);
      return [
        plan.store,
        Array.from({ length: POOL }, (_, i) => ({
          ...plan.content(rng, i, new Date(START + i * 137_000)),
          activity: plan.activity(rng),
        })),
      ];
    }),
  );
  function* ofStores(store: string | undefined): Generator<ReleasedFinding> {
    for (const plan of PLANS) {
      if (store !== undefined && plan.store !== store) continue;
      const pool = pools.get(plan.store)!;
      const count = Math.round(total * plan.share);
      for (let i = 0; i < count; i++) {
        const { content, redact, activity } = pool[i % POOL]!;
        yield {
          store: plan.store,
          storeKind: plan.kind,
          processingActivityId: activity,
          ref: `${plan.store}/${i}`,
          matchedIdentifier: { kind: "email", value: EMAIL, recordValue: EMAIL, proven: true },
          unproven: false,
          role: "subject",
          flags: [],
          recordedAt: new Date(START + i * 137_000),
          content,
          redactions: redact ? [{ field: redact, reasonCode: "art-15-4" }] : [],
        };
      }
    }
  }
  return { list: ofStores };
}
