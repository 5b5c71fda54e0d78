import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on a free local port for the tests: the portal talks SMTP to it exactly as to
 * a production relay, and the tests read what arrived, parsed by mailparser.
 */
export interface TestSmtp {
  url: string;
  /** Messages the server accepted: its "250" went to a client that was still connected. */
  messages: ParsedMail[];
  /** Messages received in full whose answer is still held back (see `answerDelayMs`). */
  answering(): number;
  /** Resolves with the first message (new or already received) that matches, or fails after a while. */
  waitFor(match: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/**
 * `answerDelayMs`: how long the server waits, after a message arrived, before it answers "250" —
 * a slow relay, so that a test can stop the sender while a mail is in the middle of being sent. A
 * message whose sender hung up before the answer was not accepted and is not counted.
 */
export async function startTestSmtp(options: { answerDelayMs?: () => number } = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const closed = new Set<string>();
  let answering = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const delay = options.answerDelayMs?.() ?? 0;
          if (delay > 0) {
            answering++;
            await new Promise((resolve) => setTimeout(resolve, delay));
            answering--;
            if (closed.has(session.id)) return callback(new Error("the client hung up"));
          }
          messages.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      // A client killed mid-transaction (the kill -9 tests do it on purpose) resets its connection;
      // smtp-server reports that on the server, and an unheard "error" would end the test process.
      server.on("error", () => undefined);
      const address = server.server.address();
      if (typeof address === "object" && address) resolve(address.port);
      else reject(new Error("SMTP test server has no port"));
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    answering: () => answering,
    async waitFor(match, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const found = messages.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no matching mail within ${timeoutMs} ms (received ${messages.length})`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Addresses a message was sent to, lower-case. */
export function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((a) => (a.address ?? "").toLowerCase()));
}

/** The six-digit code in a code mail. */
export function codeIn(mail: ParsedMail): string {
  const match = /(\d{6})/.exec(mail.text ?? "");
  if (!match) throw new Error("no code in the mail");
  return match[1]!;
}
