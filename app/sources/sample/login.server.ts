/**
 * Server log of the Beauskunftung login: JSON lines, one file per month, older months gzipped.
 * Registered users log in from their office network; attackers try user names from elsewhere.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { lineHash, lineRef } from "../files.server";
import { formatIsoBerlin } from "../time";
import { dayStart, pastTime, type SampleContext } from "./context";
import { SAMPLE_STORES } from "./layout";
import { uniqueIpv4, type SamplePerson } from "./people";
import { USER_AGENTS } from "./pools";
import type { LoginEvent } from "./weblog.server";

interface LoginLine {
  at: Date;
  text: string;
  personId: string | null;
}

function loginFileName(month: string, current: boolean): string {
  return current ? "beaus-login.log" : `beaus-login-${month}.log.gz`;
}

export async function writeLoginLogs(ctx: SampleContext, events: LoginEvent[]): Promise<void> {
  const rng = ctx.rng.fork("login");
  const byId = new Map(ctx.people.map((p) => [p.id, p]));
  const lines: LoginLine[] = [];
  const line = (
    at: Date,
    person: SamplePerson | null,
    user: string,
    ip: string,
    outcome: string,
    userAgent: string,
  ) => {
    const known = person && outcome !== "UNKNOWN_USER";
    const record = {
      ts: formatIsoBerlin(at),
      host: `beaus-login-0${rng.int(1, 2)}`,
      level: outcome === "SUCCESS" ? "INFO" : "WARN",
      event: "LOGIN",
      outcome,
      user,
      givenName: known ? person.firstName : null,
      familyName: known ? person.lastName : null,
      clientIp: ip,
      userAgent,
      sessionId: outcome === "SUCCESS" ? rng.hex(32) : null,
    };
    return JSON.stringify(record);
  };
  const windowStart = dayStart(ctx.days[0]!).getTime();

  for (const event of events) {
    const person = byId.get(event.personId)!;
    const user = rng.chance(0.15) ? person.official!.userName.toUpperCase() : person.official!.userName;
    lines.push({
      at: event.at,
      text: line(event.at, person, user, event.ip, event.outcome, event.userAgent),
      personId: person.id,
    });
  }
  for (const person of ctx.people) {
    if (!person.official) continue;
    // History before the log window: only the user name ties these lines to the person.
    for (let i = rng.int(3, person.demo ? 12 : 8); i > 0; i--) {
      const at = pastTime(ctx, rng, ctx.days.length + 1, 420);
      if (at.getTime() >= windowStart) continue;
      lines.push({
        at,
        text: line(
          at,
          person,
          person.official.userName,
          person.official.authority.natIp,
          "SUCCESS",
          rng.pick(USER_AGENTS),
        ),
        personId: person.id,
      });
    }
    if (person.demo || rng.chance(0.3)) {
      const attacker = uniqueIpv4(rng, ctx.registry);
      const at = pastTime(ctx, rng, 0, ctx.days.length - 1);
      for (let i = 0; i < rng.int(3, 6); i++) {
        const when = new Date(at.getTime() + i * 2000);
        lines.push({
          at: when,
          text: line(when, person, person.official.userName, attacker, "FAILURE", "python-requests/2.31.0"),
          personId: person.id,
        });
      }
    }
  }
  for (let i = 0; i < Math.round(ctx.noise * 20); i++) {
    const at = pastTime(ctx, rng, 0, 300);
    const ip = uniqueIpv4(rng, ctx.registry);
    lines.push({
      at,
      text: line(
        at,
        null,
        rng.pick(["admin", "test", "root", "administrator", "guest", "meldeamt"]),
        ip,
        "UNKNOWN_USER",
        "curl/8.5.0",
      ),
      personId: null,
    });
  }
  for (let i = 0; i < Math.round(ctx.noise * 4); i++) {
    const at = pastTime(ctx, rng, 0, 300);
    const broken = rng.chance(0.5)
      ? `{"ts":"${formatIsoBerlin(at)}","host":"beaus-login-01","level":"INFO","event":"LOGIN","outc`
      : "\tat de.tlrz.beaus.auth.LoginFilter.doFilter(LoginFilter.java:88)";
    lines.push({ at, text: broken, personId: null });
  }
  await writeMonths(ctx, lines);
}

async function writeMonths(ctx: SampleContext, lines: LoginLine[]): Promise<void> {
  const dir = join(ctx.out, SAMPLE_STORES.login.path);
  await mkdir(dir, { recursive: true });
  lines.sort((a, b) => a.at.getTime() - b.at.getTime());
  const currentMonth = ctx.endDay.slice(0, 7);
  const byMonth = new Map<string, LoginLine[]>();
  for (const l of lines) {
    const month = formatIsoBerlin(l.at).slice(0, 7);
    const list = byMonth.get(month);
    if (list) list.push(l);
    else byMonth.set(month, [l]);
  }
  if (!byMonth.has(currentMonth)) byMonth.set(currentMonth, []);
  for (const [month, monthLines] of byMonth) {
    const rel = loginFileName(month, month === currentMonth);
    let offset = 0;
    for (const l of monthLines) {
      if (l.personId) ctx.key.add(l.personId, SAMPLE_STORES.login.id, lineRef(rel, offset, lineHash(l.text)));
      offset += Buffer.byteLength(l.text) + 1;
    }
    const content = Buffer.from(monthLines.length ? `${monthLines.map((l) => l.text).join("\n")}\n` : "");
    await writeFile(join(dir, rel), rel.endsWith(".gz") ? gzipSync(content) : content);
  }
}
