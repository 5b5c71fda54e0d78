/**
 * Messy line stores: web logs, login logs and call records as a data centre really has them, written
 * beside the ordinary sample's files. Rotation names (logrotate's dateext, plain and gzipped, `.1`,
 * compressed day files, per-virtual-host logs, a sub-folder), nginx common/combined/extra-field
 * formats and JSON lines, a leading virtual host, bracketed and upper-case IPv6, IPv4-mapped
 * IPv6, ISO times, X-Forwarded-For in a later field; login lines behind an rsyslog header, with BOM, CRLF, Latin-1
 * bytes, epoch seconds and milliseconds; call records with BOM, CRLF, other delimiters, a repeated
 * header, quoted line breaks, Asterisk's Master.csv, numbers in every notation including E.164
 * without "+". Records of the cast (./cast.ts) are registered in the answer key with exactly the
 * references the connectors produce; strangers' records (also at the cast's address at other
 * times, with the cast's name on another account, with the cast's number in a referrer) belong to
 * nobody.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { lineHash, lineRef } from "#app/sources/files.server";
import { formatBerlinLocal, formatIsoBerlin, formatNginxTime, parseBerlinLocal } from "#app/sources/time";
import { type SampleContext, shiftDay } from "../context";
import { SAMPLE_STORES } from "../layout";
import type { Rng } from "../prng";
import { MESSY_CAST } from "./cast";

type CastId = (typeof MESSY_CAST)[keyof typeof MESSY_CAST]["id"];

interface FileOptions {
  crlf?: boolean;
  bom?: boolean;
  /** Records written as ISO-8859-1 bytes. */
  latin1?: boolean;
  gz?: boolean;
  /** Empty lines after the last record, as editors and crashed writers leave them. */
  trailingEmpty?: number;
}

/** One file of a line store, built record by record; the key gets each cast record's reference. */
class LineFile {
  private readonly records: { text: string; person: CastId | null }[] = [];

  constructor(
    private readonly store: { id: string; path: string },
    readonly rel: string,
    private readonly options: FileOptions = {},
  ) {}

  add(text: string, person: CastId | null = null): this {
    this.records.push({ text, person });
    return this;
  }

  async write(ctx: SampleContext): Promise<void> {
    const eol = this.options.crlf ? "\r\n" : "\n";
    const parts: Buffer[] = [];
    let offset = 0;
    this.records.forEach(({ text, person }, index) => {
      const body = Buffer.from(text.replace(/\n/g, eol), this.options.latin1 ? "latin1" : "utf8");
      const record = Buffer.concat([
        index === 0 && this.options.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
        body,
        this.options.crlf ? Buffer.from("\r") : Buffer.alloc(0),
      ]);
      // The reference covers the record's bytes up to its final "\n", as the connector reads them.
      if (person) ctx.key.add(person, this.store.id, lineRef(this.rel, offset, lineHash(record)));
      parts.push(record, Buffer.from("\n"));
      offset += record.length + 1;
    });
    for (let i = 0; i < (this.options.trailingEmpty ?? 0); i++) parts.push(Buffer.from(eol));
    const content = Buffer.concat(parts);
    const path = join(ctx.out, this.store.path, this.rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, this.options.gz ? gzipSync(content) : content);
  }
}

/** An instant of Berlin wall-clock time on a day. */
function at(day: string, time: string): Date {
  return parseBerlinLocal(`${day} ${time}`)!;
}

const compact = (day: string) => day.replace(/-/g, "");

// ---------------------------------------------------------------------------------------------
// Web logs

const PROXY = "10.80.0.11";
const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const UA_MOBILE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const PAGES = [
  "/",
  "/auskunft",
  "/auskunft/antrag",
  "/suche?q=Meldebescheinigung",
  "/kontakt",
  "/static/app.css",
  "/favicon.ico",
];

interface Hit {
  remote: string;
  at: Date;
  path: string;
  status?: number;
  referer?: string;
  userAgent?: string;
}

const request = (h: Hit) => `"GET ${h.path} HTTP/1.1" ${h.status ?? 200} ${h.path.length * 97 + 311}`;
const commonLine = (h: Hit) => `${h.remote} - - [${formatNginxTime(h.at)}] ${request(h)}`;
const combinedLine = (h: Hit) => `${commonLine(h)} "${h.referer ?? "-"}" "${h.userAgent ?? UA}"`;
/** combined, then request time, upstream address and X-Forwarded-For (the proxy's log_format). */
const extendedLine = (h: Hit, forwardedFor: string, requestTime: string) =>
  `${combinedLine(h)} ${requestTime} 10.80.1.5:8080 "${forwardedFor}"`;
/** combined with key=value fields after it, X-Forwarded-For among them. */
const keyValueLine = (h: Hit, forwardedFor: string) =>
  `${combinedLine(h)} rt=0.042 uct="0.001" xff="${forwardedFor}" cache=MISS`;
/** Apache's vhost_combined. */
const vhostLine = (host: string, h: Hit) => `${host} ${combinedLine(h)}`;
const isoLine = (h: Hit) =>
  `${h.remote} - - [${formatIsoBerlin(h.at).replace(/\.\d{3}/, "")}] ${request(h)} "-" "${h.userAgent ?? UA}"`;

/** A visit: `count` requests a minute or two apart from `start`; the window spans them. */
function session(rng: Rng, start: Date, count: number): Date[] {
  const times = [start];
  for (let i = 1; i < count; i++) times.push(new Date(times[i - 1]!.getTime() + rng.int(5, 120) * 1000));
  return times;
}

async function writeWebLogs(ctx: SampleContext, rng: Rng): Promise<void> {
  const store = SAMPLE_STORES.web;
  const { joerg, anna, gerda, namesake, renate } = MESSY_CAST;
  const first = ctx.days[0]!;
  const last = ctx.days[ctx.days.length - 1]!;
  const before = (n: number) => shiftDay(first, -n);
  const page = () => rng.pick(PAGES);
  const visit = (
    person: CastId,
    address: string,
    start: Date,
    count: number,
    line: (h: Hit, index: number) => string,
    file: LineFile,
    remote = address,
  ) => {
    const times = session(rng, start, count);
    ctx.key.addIpWindow(person, address, times[0]!, times[times.length - 1]!);
    times.forEach((time, index) => file.add(line({ remote, at: time, path: page() }, index), person));
  };
  const stranger = (file: LineFile, text: string) => file.add(text);

  // Three days before the window, rotated with dateext and compressed: combined plus request time,
  // upstream and X-Forwarded-For; the portal's users come through the reverse proxy.
  const old = new LineFile(store, `access.log-${compact(before(2))}.gz`, { gz: true });
  stranger(
    old,
    extendedLine({ remote: "198.51.100.23", at: at(before(3), "23:58:01"), path: "/" }, "-", "0.003"),
  );
  visit(
    joerg.id,
    joerg.ipv4,
    at(before(3), "08:14:09"),
    4,
    (h) => extendedLine({ ...h, remote: PROXY }, `${joerg.ipv4}, 10.80.0.2`, "0.118"),
    old,
    PROXY,
  );
  visit(
    joerg.id,
    joerg.ipv6,
    at(before(3), "19:40:00"),
    3,
    (h) => extendedLine({ ...h, remote: PROXY }, `[${joerg.ipv6}]:51234`, "0.020"),
    old,
    PROXY,
  );
  stranger(
    old,
    extendedLine(
      { remote: PROXY, at: at(before(3), "12:00:00"), path: "/kontakt" },
      "203.0.113.77, 10.80.0.2",
      "0.051",
    ),
  );
  // The referrer names Jörg's address, but the visitor is somebody else.
  stranger(
    old,
    combinedLine({
      remote: "203.0.113.78",
      at: at(before(3), "08:15:00"),
      path: "/",
      referer: `https://whois.example/?ip=${joerg.ipv4}`,
    }),
  );
  visit(
    gerda.id,
    gerda.ipv4,
    at(before(3), "10:02:33"),
    3,
    (h) => keyValueLine({ ...h, remote: PROXY }, gerda.ipv4),
    old,
    PROXY,
  );
  // Behind a proxy on a Unix socket nginx logs "unix:" as the client.
  visit(
    namesake.id,
    namesake.ipv4,
    at(before(3), "14:00:00"),
    2,
    (h) => extendedLine({ ...h, remote: "unix:" }, namesake.ipv4, "0.010"),
    old,
    "unix:",
  );
  // The family's router: after Jörg's morning visit, Anna in the evening from the same address.
  visit(
    anna.id,
    joerg.ipv4,
    at(before(3), "21:05:10"),
    3,
    (h) => combinedLine({ ...h, userAgent: UA_MOBILE }),
    old,
  );
  await old.write(ctx);

  // Two days before: dateext without compression yet (delaycompress); common log format from an
  // older server, IPv6 as the client in upper case and bracketed.
  const plain = new LineFile(store, `access.log-${compact(before(1))}`, { trailingEmpty: 2 });
  visit(
    joerg.id,
    joerg.ipv6,
    at(before(2), "07:30:00"),
    3,
    (h) => commonLine({ ...h, remote: joerg.ipv6.toUpperCase() }),
    plain,
    joerg.ipv6.toUpperCase(),
  );
  visit(
    anna.id,
    anna.ipv6,
    at(before(2), "11:11:11"),
    2,
    (h) => commonLine({ ...h, remote: `[${anna.ipv6}]` }),
    plain,
  );
  // Jörg's address reassigned by the provider: the next day a stranger has it.
  stranger(
    plain,
    commonLine({ remote: joerg.ipv4, at: at(before(2), "15:45:00"), path: "/wp-login.php", status: 404 }),
  );
  stranger(
    plain,
    commonLine({ remote: joerg.ipv4, at: at(before(2), "15:45:02"), path: "/.env", status: 404 }),
  );
  visit(namesake.id, namesake.ipv4, at(before(2), "16:20:00"), 3, (h) => commonLine(h), plain);
  // A line cut by a full disk, with Jörg's address inside his later visit's hour: not a record.
  stranger(
    plain,
    `${joerg.ipv6.toUpperCase()} - - [${formatNginxTime(at(before(2), "07:31:00"))}] "GET /auskunft HT`,
  );
  await plain.write(ctx);

  // The TLS virtual host's own log (vhost_combined), current and rotated once.
  const ssl1 = new LineFile(store, "ssl.access.log.1");
  visit(
    namesake.id,
    namesake.ipv6,
    at(first, "09:00:00"),
    3,
    (h) => vhostLine("tsr.thueringen.example:443", h),
    ssl1,
  );
  visit(
    joerg.id,
    joerg.ipv4,
    at(first, "13:13:13"),
    3,
    (h) => vhostLine("tsr.thueringen.example:443", { ...h, remote: `::ffff:${joerg.ipv4}` }),
    ssl1,
    `::ffff:${joerg.ipv4}`,
  );
  stranger(
    ssl1,
    vhostLine("tsr.thueringen.example:443", {
      remote: "198.51.100.99",
      at: at(first, "13:13:20"),
      path: "/",
    }),
  );
  await ssl1.write(ctx);
  const ssl = new LineFile(store, "ssl.access.log");
  visit(
    renate.id,
    renate.ipv4,
    at(last, "10:00:00"),
    5,
    (h) => vhostLine("tsr.thueringen.example:443", h),
    ssl,
  );
  stranger(
    ssl,
    vhostLine("tsr.thueringen.example:443", {
      remote: "2001:db8:ff::17",
      at: at(last, "10:00:30"),
      path: "/suche?q=K%C3%BChn",
    }),
  );
  visit(
    gerda.id,
    gerda.ipv6,
    at(last, "17:45:00"),
    2,
    (h) => vhostLine("tsr.thueringen.example:443", h),
    ssl,
  );
  await ssl.write(ctx);

  // A host that logs JSON (log_format escape=json): msec or ISO time, X-Forwarded-For as a key.
  const json = new LineFile(store, "json.access.log");
  const jsonLine = (h: Hit, forwardedFor: string | null) =>
    JSON.stringify({
      msec: (h.at.getTime() / 1000).toFixed(3),
      remote_addr: h.remote,
      request: `GET ${h.path} HTTP/2.0`,
      status: String(h.status ?? 200),
      body_bytes_sent: "2048",
      http_referer: "",
      http_user_agent: h.userAgent ?? UA,
      http_x_forwarded_for: forwardedFor ?? "",
    });
  visit(joerg.id, joerg.ipv4, at(last, "18:00:00"), 3, (h) => jsonLine(h, null), json);
  visit(
    anna.id,
    anna.ipv4,
    at(last, "18:30:00"),
    2,
    (h) => jsonLine({ ...h, remote: PROXY }, `${anna.ipv4}, 10.80.0.2`),
    json,
    PROXY,
  );
  stranger(
    json,
    jsonLine(
      {
        remote: PROXY,
        at: at(last, "18:30:10"),
        path: "/",
        userAgent: `bot (+https://example.org/?from=${joerg.ipv4})`,
      },
      "203.0.113.9",
    ),
  );
  await json.write(ctx);

  // An API host that logs ISO 8601 times, in a sub-folder.
  const api = new LineFile(store, "api/api.access.log");
  visit(renate.id, renate.ipv6, at(last, "11:30:00"), 2, (h) => isoLine(h), api);
  stranger(api, isoLine({ remote: "203.0.113.5", at: at(last, "11:30:05"), path: "/api/v1/status" }));
  await api.write(ctx);
}

// ---------------------------------------------------------------------------------------------
// Login logs

interface LoginFields {
  ts: string | number;
  user: string;
  givenName: string | null;
  familyName: string | null;
  clientIp: string;
  outcome: string;
}

function loginJson(rng: Rng, f: LoginFields, timeKey = "ts"): string {
  return JSON.stringify({
    [timeKey]: f.ts,
    host: "beaus-login-01",
    level: f.outcome === "SUCCESS" ? "INFO" : "WARN",
    event: "LOGIN",
    outcome: f.outcome,
    user: f.user,
    givenName: f.givenName,
    familyName: f.familyName,
    clientIp: f.clientIp,
    userAgent: UA,
    sessionId: f.outcome === "SUCCESS" ? rng.hex(32) : null,
  });
}

async function writeLoginLogs(ctx: SampleContext, rng: Rng): Promise<void> {
  const store = SAMPLE_STORES.login;
  const { joerg, renate } = MESSY_CAST;
  const first = ctx.days[0]!;
  const day = (n: number) => shiftDay(first, -n);
  // The cast's logins come from addresses and hours no visit window of the web logs covers.
  const office = "198.51.100.200";

  // Rotated once: written by a Windows-built agent with BOM and CRLF; user name in other case.
  const rotated = new LineFile(store, "beaus-login.log.1", { bom: true, crlf: true });
  rotated.add(
    loginJson(rng, {
      ts: formatIsoBerlin(at(day(6), "07:02:11")),
      user: "JPMUELLER",
      givenName: "Jörg",
      familyName: "Müller",
      clientIp: office,
      outcome: "FAILURE",
    }),
    joerg.id,
  );
  rotated.add(
    loginJson(rng, {
      ts: formatIsoBerlin(at(day(6), "07:02:40")),
      user: "jpmueller",
      givenName: "Jörg",
      familyName: "Müller",
      clientIp: office,
      outcome: "SUCCESS",
    }),
    joerg.id,
  );
  // Another official called Jörg Müller, with his own account: not Jörg's, not the namesake's.
  rotated.add(
    loginJson(rng, {
      ts: formatIsoBerlin(at(day(6), "08:00:00")),
      user: "jmueller2",
      givenName: "Jörg",
      familyName: "Müller",
      clientIp: office,
      outcome: "SUCCESS",
    }),
  );
  rotated.add("\tat de.tlrz.beaus.auth.LoginFilter.doFilter(LoginFilter.java:88)");
  await rotated.write(ctx);

  // dateext and compressed: epoch milliseconds (number) and epoch seconds (string), another time key.
  const epoch = new LineFile(store, `beaus-login.log-${compact(day(4))}.gz`, { gz: true, trailingEmpty: 1 });
  epoch.add(
    loginJson(rng, {
      ts: at(day(5), "09:15:00").getTime(),
      user: "jpmueller",
      givenName: "Jörg",
      familyName: "Müller",
      clientIp: office,
      outcome: "SUCCESS",
    }),
    joerg.id,
  );
  epoch.add(
    loginJson(rng, {
      ts: String(Math.floor(at(day(5), "09:20:00").getTime() / 1000)),
      user: "rkuehnoesswald",
      givenName: "Renate",
      familyName: "Kühn-Ößwald",
      clientIp: office,
      outcome: "SUCCESS",
    }),
    renate.id,
  );
  epoch.add(
    loginJson(rng, {
      ts: at(day(5), "09:21:00").getTime(),
      user: "rkuehnoesswald2",
      givenName: null,
      familyName: null,
      clientIp: "203.0.113.66",
      outcome: "UNKNOWN_USER",
    }),
  );
  epoch.add(
    loginJson(
      rng,
      {
        ts: formatIsoBerlin(at(day(5), "09:22:00")),
        user: "admin",
        givenName: null,
        familyName: null,
        clientIp: "203.0.113.66",
        outcome: "UNKNOWN_USER",
      },
      "@timestamp",
    ),
  );
  await epoch.write(ctx);

  // Relayed by rsyslog from the second login host: syslog header before the JSON, Latin-1 bytes.
  const relay = new LineFile(store, "relay/beaus-login-02.log", { latin1: true });
  const header = (time: Date) =>
    `${formatIsoBerlin(time).replace(/\.\d{3}/, "")} beaus-login-02 beaus-login[4711]: `;
  relay.add(
    `${header(at(day(3), "14:00:00"))}${loginJson(rng, { ts: formatIsoBerlin(at(day(3), "14:00:00")), user: "rkuehnoesswald", givenName: "Renate", familyName: "Kühn-Ößwald", clientIp: office, outcome: "SUCCESS" })}`,
    renate.id,
  );
  relay.add(`${header(at(day(3), "14:00:01"))}-- MARK --`);
  relay.add(
    `${header(at(day(3), "14:05:00"))}${loginJson(rng, { ts: formatIsoBerlin(at(day(3), "14:05:00")), user: "gkuehn", givenName: "Günter", familyName: "Kühn", clientIp: office, outcome: "SUCCESS" })}`,
  );
  relay.add(`${header(at(day(3), "14:06:00"))}message repeated 2 times: [ LOGIN FAILURE]`);
  relay.add(
    `${header(at(day(2), "07:59:00"))}${loginJson(rng, { ts: String(Math.floor(at(day(2), "07:59:00").getTime() / 1000)), user: "JPMueller", givenName: "Jörg", familyName: "Müller", clientIp: office, outcome: "SUCCESS" })}`,
    joerg.id,
  );
  await relay.write(ctx);
}

// ---------------------------------------------------------------------------------------------
// Call records

const HEADER = ["call_id", "start", "duration_s", "direction", "caller", "callee", "extension", "result"];
const OURS = "+49361573635800";

function callId(time: Date, rng: Rng): string {
  return `${formatBerlinLocal(time).replace(/\D/g, "")}-${rng.hex(6)}`;
}

/** RFC 4180 quoting for any delimiter; `all` quotes every field, as some export tools do. */
function csv(fields: string[], delimiter: string, all = false): string {
  return fields
    .map((f) =>
      all || f.includes(delimiter) || f.includes('"') || f.includes("\n") ? `"${f.replace(/"/g, '""')}"` : f,
    )
    .join(delimiter);
}

async function writeCallRecords(ctx: SampleContext, rng: Rng): Promise<void> {
  const store = SAMPLE_STORES.calls;
  const { joerg, anna, gerda, namesake, renate } = MESSY_CAST;
  const first = ctx.days[0]!;
  const older = (n: number) => shiftDay(first, -n);
  const call = (time: Date, direction: "in" | "out", external: string, result = "ANSWERED") => [
    callId(time, rng),
    formatBerlinLocal(time),
    String(rng.int(10, 900)),
    direction,
    direction === "in" ? external : OURS,
    direction === "in" ? OURS : external,
    "3635800",
    result,
  ];

  // A compressed day file from before the window: BOM, CRLF, a result holding a line break.
  const day1 = older(40);
  const gz = new LineFile(store, `cdr-${day1}.csv.gz`, { gz: true, bom: true, crlf: true });
  gz.add(HEADER.join(";"));
  gz.add(csv(call(at(day1, "08:01:00"), "in", "493619876543"), ";"), joerg.id);
  gz.add(csv(call(at(day1, "08:30:00"), "in", "493619876544"), ";"));
  gz.add(
    csv(call(at(day1, "09:12:00"), "out", "0049 361 9876543", "FORWARDED\nan 3635837 weitergeleitet"), ";"),
    joerg.id,
  );
  gz.add(csv(call(at(day1, "10:00:00"), "in", "+49 152 09876543"), ";"), anna.id);
  gz.add(csv(call(at(day1, "10:40:00"), "in", "anonymous", "NO ANSWER"), ";"));
  gz.add(csv(call(at(day1, "11:15:00"), "out", "+49 (0)3621 123 45 67"), ";"), namesake.id);
  await gz.write(ctx);

  // Two exports of one day from another tool joined: commas, every field quoted, the header twice,
  // blank lines at the end.
  const day2 = older(39);
  const joined = new LineFile(store, `cdr-${day2}.csv`, { trailingEmpty: 2 });
  joined.add(csv(HEADER, ",", true));
  joined.add(csv(call(at(day2, "07:45:00"), "in", "+49 (0)361 987 65 43"), ",", true), joerg.id);
  joined.add(csv(call(at(day2, "08:05:00"), "in", "0049176 09876543"), ",", true), gerda.id);
  joined.add(csv(HEADER, ",", true));
  joined.add(csv(call(at(day2, "13:00:00"), "out", "015209876543"), ",", true), anna.id);
  joined.add(csv(call(at(day2, "13:30:00"), "in", "0361 98765430"), ",", true));
  joined.add(
    `"${callId(at(day2, "14:00:00"), rng)}","${formatBerlinLocal(at(day2, "14:00:00"))}","12","in","0361 9876543","+4936157`,
  );
  await joined.write(ctx);

  // Asterisk's own CDR (cdr_csv): Master.csv and its rotation, quoted, no header; the caller ID
  // carries a name, the user field a note with a line break.
  const asterisk = (time: Date, src: string, dst: string, clid: string, userfield = "") => {
    const end = new Date(time.getTime() + 95_000);
    return csv(
      [
        "",
        src,
        dst,
        "from-trunk",
        clid,
        "SIP/trunk-00000a1f",
        "SIP/3635800-00000a20",
        "Dial",
        "SIP/3635800,30,tT",
        formatBerlinLocal(time),
        formatBerlinLocal(new Date(time.getTime() + 5000)),
        formatBerlinLocal(end),
        "95",
        "90",
        "ANSWERED",
        "DOCUMENTATION",
        `${Math.floor(time.getTime() / 1000)}.${rng.int(1, 999)}`,
        userfield,
      ],
      ",",
      true,
    );
  };
  const day3 = older(38);
  const master1 = new LineFile(store, "asterisk/Master.csv.1");
  master1.add(
    asterisk(at(day3, "09:00:00"), "03643762222", "3635800", `"Renate Kühn-Ößwald" <03643762222>`),
    renate.id,
  );
  master1.add(
    asterisk(
      at(day3, "09:30:00"),
      "036219999999",
      "3635800",
      `"Jörg Müller" <036219999999>`,
      "Rückruf erbeten\nbitte nach 16 Uhr",
    ),
  );
  master1.add(asterisk(at(day3, "10:00:00"), "anonymous", "3635800", `"Anonymous" <anonymous>`));
  await master1.write(ctx);
  const master = new LineFile(store, "asterisk/Master.csv");
  master.add(
    asterisk(
      at(older(37), "16:05:00"),
      "3635800",
      "00493619876543",
      `"Poststelle" <3635800>`,
      "Rückruf an\nHerrn Dr. Müller",
    ),
    joerg.id,
  );
  master.add(
    asterisk(at(older(37), "16:30:00"), "+4936211234567", "3635800", `"" <+4936211234567>`),
    namesake.id,
  );
  master.add(asterisk(at(older(37), "17:00:00"), "036211234568", "3635800", `"J. Mueller" <036211234568>`));
  await master.write(ctx);

  // Latest rotation of the exchange's own current file name.
  const rotated = new LineFile(store, "cdr.csv.1", { crlf: true });
  rotated.add(HEADER.join(";"));
  rotated.add(csv(call(at(older(36), "08:00:00"), "in", "+49 (0)3643 76 22 22"), ";"), renate.id);
  rotated.add(csv(call(at(older(36), "08:10:00"), "out", "0361/9876543"), ";"), joerg.id);
  rotated.add(csv(call(at(older(36), "08:20:00"), "in", "+49 176 0987654"), ";"));
  rotated.add(csv(call(at(older(36), "08:45:00"), "in", "00 49 361 9876543"), ";"), joerg.id);
  await rotated.write(ctx);
}

export async function writeMessyLineStores(ctx: SampleContext): Promise<void> {
  const rng = ctx.rng.fork("messy-lines");
  await writeWebLogs(ctx, rng.fork("web"));
  await writeLoginLogs(ctx, rng.fork("login"));
  await writeCallRecords(ctx, rng.fork("calls"));
}
