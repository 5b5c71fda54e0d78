/**
 * Just enough RFC 5322/MIME writing for the sample mailboxes: RFC 2047 encoded words for German
 * header text, multipart/mixed with base64 attachments and RFC 2231 file names.
 */
function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** RFC 2047 "B" encoded words, split on character boundaries so that no word exceeds 75 chars. */
export function encodeWords(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString("base64")}?=`).join("\r\n ");
}

export function mailbox(name: string | null, address: string): string {
  if (!name) return address;
  const display = isAscii(name)
    ? /[(),.:;<>@[\]"]/.test(name)
      ? `"${name.replace(/"/g, '\\"')}"`
      : name
    : encodeWords(name);
  return `${display} <${address}>`;
}

export interface Attachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MessageInput {
  from: string;
  to: string;
  cc?: string | null;
  subject: string;
  date: string;
  messageId: string;
  text: string;
  boundary: string;
  attachments: Attachment[];
  extraHeaders?: Record<string, string>;
}

function base64Lines(data: Buffer): string {
  return (data.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

function filenameParameter(name: string): string {
  return isAscii(name) ? `filename="${name}"` : `filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function buildMessage(m: MessageInput): string {
  const headers = [
    `Return-Path: <${/<([^>]+)>/.exec(m.from)?.[1] ?? m.from}>`,
    `From: ${m.from}`,
    `To: ${m.to}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    `Subject: ${encodeWords(m.subject)}`,
    `Date: ${m.date}`,
    `Message-ID: <${m.messageId}>`,
    ...Object.entries(m.extraHeaders ?? {}).map(([k, v]) => `${k}: ${v}`),
    "MIME-Version: 1.0",
  ];
  const textPart = ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit", "", m.text];
  if (m.attachments.length === 0) return [...headers, ...textPart, ""].join("\r\n");
  const parts = [
    `--${m.boundary}`,
    ...textPart,
    ...m.attachments.flatMap((a) => [
      `--${m.boundary}`,
      `Content-Type: ${a.contentType}`,
      `Content-Disposition: attachment; ${filenameParameter(a.filename)}`,
      "Content-Transfer-Encoding: base64",
      "",
      base64Lines(a.data),
    ]),
    `--${m.boundary}--`,
    "",
  ];
  return [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${m.boundary}"`,
    "",
    "This is a multi-part message in MIME format.",
    ...parts,
  ].join("\r\n");
}
