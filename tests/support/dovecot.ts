/**
 * A real Dovecot IMAP server for the tests, started from the Debian packages dovecot-core and
 * dovecot-imapd with a configuration of its own in a temporary directory: plaintext login on
 * 127.0.0.1 at a free port, users from a passwd-file, Maildir++ mailboxes under the directory,
 * running as the current user. It is not skipped when Dovecot is missing: CI installs it
 * (.ci/run), and a test that cannot reach its server must fail, not pass unseen.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { imapRef } from "#app/sources/connectors/imap.server";
import { testMessage } from "./mail-messages";

export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** The server log, for a failing test's message. */
  log(): Promise<string>;
  /** An IMAP client signed in as the mailbox's owner, to put a test's messages in place; the caller logs out. */
  connectAsOwner(): Promise<ImapFlow>;
  /**
   * Puts `messages` into `folder` as read mail (\Seen), in this order, as a delivery agent puts mail
   * into a Maildir: written into tmp/ and renamed into cur/, then seen by the server, which numbers
   * new files in the order of the time and microseconds in their names. One APPEND per message is a
   * round trip to the server's process each, which under load waits for a core every time; the
   * fixtures put hundreds. Returns the folder's UIDVALIDITY and each message's UID, read back over
   * IMAP: the server must serve exactly these bytes, in this order, after what the folder held.
   */
  deliver(folder: string, messages: readonly Buffer[]): Promise<{ uidValidity: bigint; uids: number[] }>;
  stop(): Promise<void>;
}

const DOVECOT_CANDIDATES = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"];

function dovecotBinary(): string {
  const found = DOVECOT_CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `Dovecot is not installed (looked for ${DOVECOT_CANDIDATES.join(", ")}): install the Debian packages dovecot-core and dovecot-imapd (.ci/run does)`,
    );
  }
  if (!existsSync("/usr/lib/dovecot/imap") && !existsSync("/usr/libexec/dovecot/imap")) {
    throw new Error("Dovecot's IMAP service is not installed: install the Debian package dovecot-imapd");
  }
  return found;
}

interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** The first of these accounts that exists (the Debian package creates dovecot and dovenull). */
function systemUser(names: readonly string[]): SystemUser {
  const lines = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of names) {
    const fields = lines.find((line) => line.startsWith(`${name}:`))?.split(":");
    if (fields) return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error(`none of the accounts ${names.join(", ")} exists for Dovecot`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the server greets on the port. */
async function waitForGreeting(port: number, until: number, exited: () => string | null): Promise<void> {
  for (;;) {
    const exit = exited();
    if (exit) throw new Error(`Dovecot exited before it listened (${exit})`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 1500);
      socket.once("close", () => clearTimeout(timer));
      socket.setTimeout(1000);
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("* OK"));
      });
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (greeted) return;
    if (Date.now() > until) throw new Error(`Dovecot did not greet on 127.0.0.1:${port} in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startDovecot(options: { user?: string; password?: string } = {}): Promise<TestDovecot> {
  const binary = dovecotBinary();
  const dir = await mkdtemp(join(tmpdir(), "rp-dovecot-"));
  const user = options.user ?? "poststelle";
  const password = options.password ?? "test-secret-123";
  const me = userInfo();
  const port = await freePort();
  // Dovecot runs neither its login process nor a user's mail process as root: as root, the
  // unprivileged accounts the package creates take those parts, and own the mail directory.
  const root = me.uid === 0;
  const loginUser = root ? systemUser(["dovenull", "nobody"]).name : me.username;
  const mailUser: SystemUser = root
    ? systemUser(["dovecot", "nobody"])
    : { name: me.username, uid: me.uid, gid: me.gid };
  const groupName = root ? "root" : me.username;
  for (const sub of ["run", "state", "mail", "home"]) await mkdir(join(dir, sub), { recursive: true });
  if (root) {
    await chmod(dir, 0o755);
    for (const sub of ["mail", "home"]) await chown(join(dir, sub), mailUser.uid, mailUser.gid);
  }
  const maildir = join(dir, "mail", user);
  // uid/gid come from the static userdb: a passwd-file refuses UID 0, and the tests may run as root.
  await writeFile(join(dir, "passwd"), `${user}:{PLAIN}${password}::::::\n`);
  const conf = `# Written by tests/support/dovecot.ts for one test run.
base_dir = ${join(dir, "run")}
state_dir = ${join(dir, "state")}
log_path = ${join(dir, "dovecot.log")}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# A refused login answers at once, and the next login from 127.0.0.1 is not held back for it: the
# 2 s failure delay and the growing per-address penalty slow down password guessing, which no
# test does, and cost a test that checks a wrong password ~6 s.
auth_failure_delay = 0
# The mail lies in a temporary folder that only this run reads: no fsync after each saved message.
# With it an APPEND waited ~16 ms for the disk (~5 ms without); the tests that move mail (bounces,
# flags) and the portal's own writes would wait as long. A test stops the server, never the
# machine, so no test's mail depends on the disk having it.
mail_fsync = never
default_internal_user = ${me.username}
default_internal_group = ${groupName}
default_login_user = ${loginUser}
first_valid_uid = ${Math.min(mailUser.uid, 500)}
first_valid_gid = ${Math.min(mailUser.gid, 500)}
mail_location = maildir:${join(dir, "mail")}/%u
mail_privileged_group =
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(dir, "passwd")}
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${join(dir, "home")}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
}
`;
  const confPath = join(dir, "dovecot.conf");
  await writeFile(confPath, conf);
  const child: ChildProcess = spawn(binary, ["-F", "-c", confPath], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  let exit: string | null = null;
  child.once(
    "exit",
    (code, signal) =>
      (exit = `code ${code ?? "-"}, signal ${signal ?? "-"}: ${output.trim().slice(0, 2000)}`),
  );
  const log = () => readFile(join(dir, "dovecot.log"), "utf8").catch(() => "");
  const connectAsOwner = async () => {
    const client = new ImapFlow({
      host: "127.0.0.1",
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
    });
    await client.connect();
    return client;
  };
  let deliveries = 0;
  try {
    await waitForGreeting(port, Date.now() + 15_000, () => exit);
  } catch (error) {
    child.kill("SIGKILL");
    const text = await log();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${text.slice(-3000)}`);
  }
  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    dir,
    log,
    connectAsOwner,
    async deliver(folder, messages) {
      // Maildir++: INBOX is the user's Maildir itself, a folder its ".Name" beside cur/new/tmp.
      if (folder !== "INBOX" && !/^[A-Za-z0-9]+$/.test(folder))
        throw new Error(`deliver puts mail into INBOX or a top-level folder, not ${folder}`);
      if (messages.length > 999_999) throw new Error("at most 999 999 messages a delivery");
      const client = await connectAsOwner();
      try {
        // Selecting it first lets the server make the folder as it makes its own (INBOX, Sent).
        const before = (await client.mailboxOpen(folder)).exists;
        await client.mailboxClose();
        const folderDir = folder === "INBOX" ? maildir : join(maildir, `.${folder}`);
        // Dovecot numbers new files by the seconds, then by the microseconds ("M…") of their names.
        const stem = `${Math.floor(Date.now() / 1000)}`;
        const call = ++deliveries;
        for (const [i, raw] of messages.entries()) {
          const name = `${stem}.M${String(i).padStart(6, "0")}P${process.pid}Q${call}.rp-test`;
          const temporary = join(folderDir, "tmp", name);
          await writeFile(temporary, raw, { mode: 0o600 });
          if (mailUser.uid !== me.uid) await chown(temporary, mailUser.uid, mailUser.gid);
          await rename(temporary, join(folderDir, "cur", `${name}:2,S`));
        }
        const box = await client.mailboxOpen(folder);
        if (box.exists !== before + messages.length)
          throw new Error(`${folder} holds ${box.exists} messages, not ${before} + ${messages.length}`);
        const uids: number[] = [];
        if (messages.length > 0) {
          for await (const m of client.fetch(`${before + 1}:*`, { uid: true, source: true })) {
            const at = m.seq - before - 1;
            if (!m.source?.equals(messages[at] ?? Buffer.alloc(0)))
              throw new Error(`${folder}: message ${m.seq} is not the one delivered in its place`);
            uids[at] = m.uid;
          }
        }
        if (Object.keys(uids).length !== messages.length)
          throw new Error(`${folder}: ${Object.keys(uids).length} of ${messages.length} messages read back`);
        return { uidValidity: box.uidValidity, uids };
      } finally {
        await client.logout();
      }
    },
    async stop() {
      if (!exit) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Puts `fixtures` into the server among `fillers` messages from strangers (every third in Sent, the
 * others in INBOX): one fixture, into its own folder, after every `every` fillers, so that a
 * search's batches of headers each hold a fixture or none among many others. Returns each fixture by
 * the reference the IMAP connector gives its message.
 */
export async function deliverAmongFillers<Fixture extends { folder: string; raw: Buffer }>(
  dovecot: Pick<TestDovecot, "deliver">,
  fixtures: readonly Fixture[],
  { fillers, every }: { fillers: number; every: number },
): Promise<Map<string, Fixture>> {
  const folders = new Map<string, { raw: Buffer; fixture?: Fixture }[]>([
    ["INBOX", []],
    ["Sent", []],
  ]);
  let next = 0;
  for (let i = 0; i < fillers; i++) {
    folders.get(i % 3 === 2 ? "Sent" : "INBOX")!.push({
      raw: testMessage(`From: buerger${i}@example.de\r\nTo: poststelle@amt.example`),
    });
    if (i % every === every - 1 && next < fixtures.length) {
      const fixture = fixtures[next++]!;
      const folder = folders.get(fixture.folder);
      if (!folder) throw new Error(`no folder ${fixture.folder} among the fillers`);
      folder.push({ raw: fixture.raw, fixture });
    }
  }
  if (next !== fixtures.length) throw new Error("not every fixture was placed among the fillers");
  const byRef = new Map<string, Fixture>();
  for (const [folder, messages] of folders) {
    const { uidValidity, uids } = await dovecot.deliver(
      folder,
      messages.map((m) => m.raw),
    );
    for (const [i, m] of messages.entries())
      if (m.fixture) byRef.set(imapRef(folder, uidValidity, uids[i]!), m.fixture);
  }
  return byRef;
}
