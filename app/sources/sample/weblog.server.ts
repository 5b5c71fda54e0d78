/**
 * Web traffic of the tsr portal: nginx "combined" lines plus the X-Forwarded-For field, one file per
 * day, rotated like logrotate does (access.log, access.log.1, access.log.N.gz). People come from
 * their own IPv4/IPv6 addresses, through the reverse proxy, or from shared NAT addresses (offices,
 * carrier NAT) at different times; bots, scanners and broken clients make noise, some lines are cut.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { lineHash, lineRef } from "../files.server";
import { formatNginxTime } from "../time";
import { type SampleContext, timeOnDay } from "./context";
import { SAMPLE_STORES } from "./layout";
import { uniqueIpv4, uniqueIpv6, type SamplePerson } from "./people";
import { ODD_USER_AGENTS, PAGES, REFERERS, USER_AGENTS } from "./pools";
import type { Rng } from "./prng";

export interface AccessLine {
  remote: string;
  at: Date;
  method: string;
  path: string;
  status: number;
  bytes: number;
  referer: string;
  userAgent: string;
  forwardedFor: string;
}

export function formatAccessLine(l: AccessLine): string {
  return `${l.remote} - - [${formatNginxTime(l.at)}] "${l.method} ${l.path} HTTP/1.1" ${l.status} ${l.bytes} "${l.referer}" "${l.userAgent}" "${l.forwardedFor}"`;
}

/** The file a day's lines go to, counted back from the newest day. */
export function rotatedName(age: number): string {
  if (age === 0) return "access.log";
  if (age === 1) return "access.log.1";
  return `access.log.${age}.gz`;
}

const PROXY = "10.80.0.11";

export interface LoginEvent {
  personId: string;
  at: Date;
  ip: string;
  userAgent: string;
  outcome: "SUCCESS" | "FAILURE";
}

interface WebEvent {
  at: number;
  text: string;
  personId: string | null;
}

function randomPath(rng: Rng): string {
  const page = rng.pick(PAGES);
  return page.endsWith("=") ? `${page}${rng.hex(12)}` : page;
}

/** Lines that are not the combined format: cut by a full disk or a restart, binary, empty. */
function malformedLine(rng: Rng, ip: string, at: Date): string {
  const whole = formatAccessLine({
    remote: ip,
    at,
    method: "GET",
    path: "/",
    status: 200,
    bytes: 512,
    referer: "-",
    userAgent: rng.pick(USER_AGENTS),
    forwardedFor: "-",
  });
  switch (rng.int(0, 3)) {
    case 0:
      return whole.slice(0, rng.int(ip.length + 4, ip.length + 30));
    case 1:
      return `${ip} - - [${formatNginxTime(at)}] "GET /suche`;
    case 2:
      return "";
    default:
      return `\\x00\\x00\\x00 ${ip} garbage after restart`;
  }
}

/** One line of somebody who is not in the sample: anonymous visitor, bot or scanner. */
export function noiseLine(rng: Rng, ip: string, at: Date): string {
  const kind = rng.int(0, 9);
  if (kind <= 5) {
    return formatAccessLine({
      remote: ip,
      at,
      method: "GET",
      path: randomPath(rng),
      status: rng.pick([200, 200, 200, 304, 404]),
      bytes: rng.int(200, 90_000),
      referer: rng.pick(REFERERS),
      userAgent: rng.pick(USER_AGENTS),
      forwardedFor: "-",
    });
  }
  if (kind <= 7) {
    return formatAccessLine({
      remote: ip,
      at,
      method: rng.pick(["GET", "HEAD", "POST"]),
      path: rng.pick(["/wp-login.php", "/.env", "/robots.txt", "/cgi-bin/luci", "/"]),
      status: rng.pick([404, 403, 200, 301]),
      bytes: rng.int(0, 4000),
      referer: "-",
      userAgent: rng.pick(ODD_USER_AGENTS),
      forwardedFor: "-",
    });
  }
  if (kind === 8)
    return `${ip} - - [${formatNginxTime(at)}] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400 157 "-" "-" "-"`;
  return formatAccessLine({
    remote: PROXY,
    at,
    method: "GET",
    path: randomPath(rng),
    status: 200,
    bytes: rng.int(200, 9000),
    referer: "-",
    userAgent: rng.pick(USER_AGENTS),
    forwardedFor: `${ip}, 10.80.0.2`,
  });
}

function ipForms(rng: Rng, ip: string): string {
  if (!ip.includes(":")) return ip;
  return rng.pick([ip, ip.toUpperCase(), ip, `[${ip}]:${rng.int(1024, 65000)}`]);
}

type SessionKind = "own4" | "own6" | "shared" | "proxy" | "office";

interface PlannedSession {
  person: SamplePerson;
  kind: SessionKind;
  ip: string;
}

/**
 * Plans every person's sessions onto days first (small: a few per person), then writes day by day:
 * that day's sessions and noise are generated, sorted and written before the next day starts, so a
 * year of a data centre's traffic never sits in memory.
 */
export async function writeWebLogs(ctx: SampleContext): Promise<LoginEvent[]> {
  const rng = ctx.rng.fork("weblog");
  const logins: LoginEvent[] = [];
  const sharedPool = Array.from({ length: 3 + Math.ceil(ctx.people.length / 15) }, () =>
    uniqueIpv4(rng, ctx.registry),
  );

  const addressFor = (person: SamplePerson, kind: SessionKind): string => {
    if (kind === "own4") return person.ipv4;
    if (kind === "own6") return person.ipv6;
    if (kind === "shared") return rng.pick(sharedPool);
    if (kind === "office") return person.official!.authority.natIp;
    return rng.chance(0.3) ? person.ipv6 : person.ipv4;
  };

  /** One session on its day; shared addresses are never used by two people at once. */
  const session = (
    day: string,
    { person, kind, ip }: PlannedSession,
    events: WebEvent[],
    occupied: Map<string, [number, number][]>,
  ) => {
    const isShared = kind === "shared" || kind === "office";
    const userAgent = rng.pick(USER_AGENTS);
    for (let attempt = 0; attempt < 50; attempt++) {
      const start = timeOnDay(rng, day, 7, 21).getTime();
      const times = [start];
      const count = kind === "office" ? rng.int(5, 9) : rng.int(2, 10);
      const failedFirst = rng.chance(0.25);
      for (let i = 1; i < count; i++) times.push(times[i - 1]! + rng.int(1, 90) * 1000);
      const from = start;
      const to = times[times.length - 1]!;
      const taken = occupied.get(ip) ?? [];
      if (isShared && taken.some(([a, b]) => from <= b + 1000 && to >= a - 1000)) continue;
      taken.push([from, to]);
      occupied.set(ip, taken);
      ctx.key.addIpWindow(person.id, ip, new Date(from), new Date(to));
      const mapped = kind === "own4" && rng.chance(0.2);
      times.forEach((at, index) => {
        let path = randomPath(rng);
        let method = "GET";
        let status = rng.pick([200, 200, 200, 304]);
        if (kind === "office" && index === 1) path = "/login";
        const loginStep = kind === "office" && (index === 2 || (index === 3 && failedFirst));
        if (loginStep) {
          const failed = failedFirst && index === 2;
          method = "POST";
          path = "/login";
          status = failed ? 200 : 302;
          logins.push({
            personId: person.id,
            at: new Date(at),
            ip,
            userAgent,
            outcome: failed ? "FAILURE" : "SUCCESS",
          });
        }
        const viaProxy = kind === "proxy";
        const text = formatAccessLine({
          remote: viaProxy ? PROXY : mapped ? `::ffff:${ip}` : ip,
          at: new Date(at),
          method,
          path,
          status,
          bytes: rng.int(180, 120_000),
          referer: rng.pick(REFERERS),
          userAgent,
          forwardedFor: viaProxy
            ? rng.chance(0.5)
              ? ipForms(rng, ip)
              : `${ipForms(rng, ip)}, 10.80.0.2`
            : "-",
        });
        events.push({ at, text, personId: person.id });
      });
      if (rng.chance(0.08))
        events.push({ at: to + 500, text: malformedLine(rng, ip, new Date(to + 500)), personId: null });
      return;
    }
  };

  const plan: PlannedSession[][] = ctx.days.map(() => []);
  for (const person of ctx.people) {
    if (!person.channels.has("web")) continue;
    const kinds: SessionKind[] = person.demo
      ? ["own4", "own6", "proxy", "shared"]
      : Array.from({ length: rng.int(1, 3) }, () =>
          rng.pick<SessionKind>(["own4", "own4", "own6", "shared", "proxy"]),
        );
    if (person.official)
      kinds.push(...Array.from({ length: person.demo ? 2 : rng.int(1, 2) }, () => "office" as const));
    for (const kind of kinds)
      plan[rng.int(0, ctx.days.length - 1)]!.push({ person, kind, ip: addressFor(person, kind) });
  }

  const perDay = Math.round(ctx.noise * ctx.webTraffic * (30 + ctx.people.length));
  const visitors = Array.from({ length: Math.max(10, perDay) }, () =>
    rng.chance(0.8) ? uniqueIpv4(rng, ctx.registry) : uniqueIpv6(rng, ctx.registry),
  );
  const dir = join(ctx.out, SAMPLE_STORES.web.path);
  await mkdir(dir, { recursive: true });
  for (const [index, day] of ctx.days.entries()) {
    const events: WebEvent[] = [];
    const occupied = new Map<string, [number, number][]>();
    for (const planned of plan[index]!) session(day, planned, events, occupied);
    plan[index] = [];
    for (let i = 0; i < perDay; i++) {
      const at = timeOnDay(rng, day, 0, 24);
      const ip = rng.pick(visitors);
      const text = rng.chance(0.03) ? malformedLine(rng, ip, at) : noiseLine(rng, ip, at);
      events.push({ at: at.getTime(), text, personId: null });
    }
    await writeDay(ctx, join(dir, rotatedName(ctx.days.length - 1 - index)), events);
    ctx.progress(SAMPLE_STORES.web.id, index + 1, ctx.days.length, "days");
  }
  return logins.sort((a, b) => a.at.getTime() - b.at.getTime());
}

async function writeDay(ctx: SampleContext, path: string, events: WebEvent[]): Promise<void> {
  events.sort((a, b) => a.at - b.at);
  const rel = basename(path);
  // Each line is encoded once, straight into the day's buffer: where it starts is its offset. (A
  // byte length per line, a joined string and its encoding were three passes over a day of up to
  // ~25 MB at a data centre's size.) Sized for one byte a character; grown when a line needs more.
  let buffer = Buffer.allocUnsafe(events.reduce((sum, event) => sum + event.text.length + 1, 0));
  let offset = 0;
  for (const event of events) {
    const room = event.text.length * 3 + 1;
    if (offset + room > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, offset + room));
      buffer.copy(grown, 0, 0, offset);
      buffer = grown;
    }
    if (event.personId)
      ctx.key.add(event.personId, SAMPLE_STORES.web.id, lineRef(rel, offset, lineHash(event.text)));
    offset += buffer.write(event.text, offset);
    buffer[offset++] = 0x0a;
  }
  const content = buffer.subarray(0, offset);
  await writeFile(path, rel.endsWith(".gz") ? gzipSync(content) : content);
}
