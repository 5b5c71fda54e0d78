/**
 * The header fields of a block (app/sources/connectors/mail-message.server.ts `parseHeaderBlock`),
 * which decodes a block that is UTF-8 as a whole at once instead of line by line. It must read
 * every block as the line-by-line reading does — each line UTF-8, or Latin-1 where it is not, a
 * byte-order mark at a line's start dropped — for blocks of UTF-8 and Latin-1 lines, byte-order
 * marks, CR LF and LF, folded lines, stray continuations, lines without a colon, a blank line with
 * more after it, and a last line without its line feed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type HeaderField,
  headerBlockEnd,
  parseHeaderBlock,
} from "#app/sources/connectors/mail-message.server";

/** The fields as read line by line, each line decoded on its own (the reading before). */
function lineByLine(block: Buffer): HeaderField[] {
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const blockEnd = headerBlockEnd(block);
  const end = blockEnd === -1 ? block.length : blockEnd;
  const lines: string[] = [];
  for (let start = 0; start < end;) {
    let stop = block.indexOf(0x0a, start);
    if (stop === -1 || stop > end) stop = end;
    const bytes = block.subarray(start, stop > start && block[stop - 1] === 0x0d ? stop - 1 : stop);
    let line: string;
    try {
      line = utf8.decode(bytes);
    } catch {
      line = bytes.toString("latin1");
    }
    lines.push(line);
    start = stop + 1;
  }
  const fields: HeaderField[] = [];
  let current: { name: string; parts: string[] } | null = null;
  const flush = () => {
    if (current)
      fields.push({ name: current.name, value: current.parts.join(" ").replace(/\s+/g, " ").trim() });
    current = null;
  };
  for (const line of lines) {
    if (line === "") break;
    if (/^[ \t]/.test(line)) {
      current?.parts.push(line.trim());
      continue;
    }
    flush();
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    current = { name: line.slice(0, colon).trim().toLowerCase(), parts: [line.slice(colon + 1).trim()] };
  }
  flush();
  return fields;
}

const piece = fc.oneof(
  fc.constantFrom("From", "To", "Subject", ":", ": ", " ", "\t", "\r", "\u00a0", "a", "Ä", "ß", "€", "😀"),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
const utf8Line = fc.array(piece, { maxLength: 8 }).map((parts) => Buffer.from(parts.join(""), "utf8"));
const latin1Line = fc.string({ maxLength: 12 }).map((text) => Buffer.from(`X-L: ${text}\xe4\xfc`, "latin1"));
const oddLine = fc.constantFrom(
  Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from("From: bom@example.org")]),
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from([0xc3]), // a character cut off
  Buffer.from([0xe2, 0x82]),
  Buffer.from(" continued"),
  Buffer.from("\tcontinued"),
  Buffer.from("no colon here"),
  Buffer.from(""),
  Buffer.from("\r"),
);
const block = fc
  .tuple(
    fc.array(fc.tuple(fc.oneof(utf8Line, latin1Line, oddLine), fc.constantFrom("\n", "\r\n")), {
      maxLength: 10,
    }),
    fc.boolean(),
  )
  .map(([lines, cutLast]) => {
    const bytes = Buffer.concat(lines.flatMap(([line, eol]) => [line, Buffer.from(eol)]));
    return cutLast && bytes.length > 0 ? bytes.subarray(0, bytes.length - 1) : bytes;
  });

describe("parseHeaderBlock", () => {
  it("reads every block as its lines decoded one by one", () => {
    fc.assert(
      fc.property(block, (bytes) => {
        expect(parseHeaderBlock(bytes)).toEqual(lineByLine(bytes));
      }),
      { numRuns: 20_000 },
    );
  });

  it("drops a byte-order mark at the start of any line, and reads a Latin-1 line beside UTF-8 ones", () => {
    const bytes = Buffer.concat([
      Buffer.from("From: a@example.org\r\n"),
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from("To: Jörg <j@example.org>\r\n"),
      Buffer.from("Cc: J\xf6rg <k@example.org>\r\n\r\n", "latin1"),
    ]);
    expect(parseHeaderBlock(bytes)).toEqual([
      { name: "from", value: "a@example.org" },
      { name: "to", value: "Jörg <j@example.org>" },
      { name: "cc", value: "Jörg <k@example.org>" },
    ]);
  });
});
