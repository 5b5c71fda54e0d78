/**
 * The mails the mailbox tests put in a Maildir or on the IMAP server: the headers a test is about,
 * then the same subject, date and MIME version for all, then the body (a plain German text unless
 * given).
 */

/** A plain-text body with its content type. */
const PLAIN_BODY = "Content-Type: text/plain; charset=utf-8\r\n\r\nGuten Tag.\r\n";

/** `headers` (text, or bytes in another charset) followed by the common headers and `body`. */
export function testMessage(headers: string | Buffer, body = PLAIN_BODY): Buffer {
  const head = typeof headers === "string" ? Buffer.from(headers, "utf8") : headers;
  return Buffer.concat([
    head,
    Buffer.from("\r\nSubject: Anfrage\r\nDate: Mon, 4 Mar 2024 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"),
    Buffer.from(body, "utf8"),
  ]);
}

/** `text` in base64, as an encoded word or a body carries it. */
export const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** `text` in base64 in lines of 76 characters, as a body part carries it (RFC 2045). */
export const b64Lines = (text: string) => b64(text).replace(/.{76}/g, "$&\r\n");
