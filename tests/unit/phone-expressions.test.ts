/**
 * The search before parsing for telephone numbers (CompiledSubject `phoneExpressions`, issue 17
 * point 3, ADR 0021): every text that `normalisePhone` reads as the subject's number holds one of
 * the expressions — fullwidth digits and separators (NFKC), any number of separators between two
 * digits, an RFC 3966 phone context — and a number that libphonenumber may rewrite (a national
 * prefix transform rule: Argentina's "15", San Marino's "0549") has none, so every record is parsed.
 */
import { describe, expect, it } from "vitest";
import { normalisePhone } from "#app/core/identifiers";
import { bytePatterns } from "#app/sources/byte-patterns";
import { compileSubject } from "#app/sources/subject";

const expressionsOf = (phone: string) =>
  compileSubject({
    emails: [],
    names: [],
    phones: [{ value: phone, proven: true }],
    userNames: [],
    ips: [],
    postalAddresses: [],
  }).phoneExpressions();

/** Whether the search before parsing lets a call record with `notation` as its caller through. */
function letThrough(phone: string, notation: string): boolean {
  const expressions = expressionsOf(phone);
  if (expressions === null) return true;
  const line = Buffer.from(
    `20251001080000-1;2025-10-01 08:00:00;60;in;${notation};+49361573635800;3635800;ANSWERED`,
  );
  return bytePatterns([], expressions).occursIn(line);
}

const FULLWIDTH = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

// Each read by normalisePhone as the key (checked below).
const NOTATIONS: [key: string, notation: string][] = [
  ["+493619876543", "０３６１ ９８７６５４３"],
  ["+493619876543", FULLWIDTH("+49 361 9876543")],
  ["+493619876543", "0361 ９８７６５４３"],
  ["+493619876543", "0361－9876543"],
  ["+493619876543", "0361 - - - - - - - 9876543"],
  ["+493619876543", `0361${" ".repeat(200)}9876543`],
  ["+493619876543", `49361${" / ".repeat(300)}9876543`],
  ["+493619876543", "(0361) [98] 76~54/3"],
  // A quoted CSV field holding a line break: one record of two lines.
  ["+493619876543", "49361\n9876543"],
  ["+493619876543", "0361 98765㊸"],
  ["+493619876543", "tel:9876543;phone-context=+49361"],
  ["+493619876543", "tel:+49-361-9876543"],
  ["+5491112345678", "+54 11 15 1234 5678"],
  ["+3780549891234", "+378 891234"],
];

describe("phoneExpressions", () => {
  it("lets through every notation normalisePhone reads as the number", () => {
    for (const [key, notation] of NOTATIONS) {
      expect(normalisePhone(notation), notation).toBe(key);
      expect(letThrough(key, notation), notation).toBe(true);
    }
  });

  it("lets through generated notations: separators of both readers in any number, digits in any width", () => {
    const key = "+493619876543";
    const separators = [" ", "-", "/", ".", "(", ")", "[", "]", "~", "\u3000", "\uff0d", "\u00a0", "\u2010"];
    let random = 17;
    const next = (n: number) => (random = (random * 1103515245 + 12345) % 2 ** 31) % n;
    let read = 0;
    for (let round = 0; round < 2000; round++) {
      const prefix = ["0", "+49 ", "0049 ", "+49 (0) ", "49"][next(5)]!;
      const digits = [...`${prefix}3619876543`].map((c) =>
        /\d/.test(c) && next(4) === 0 ? FULLWIDTH(c) : c,
      );
      const notation = digits
        .map(
          (c) =>
            c +
            Array.from(
              { length: next(3) === 0 ? next(12) : 0 },
              () => separators[next(separators.length)],
            ).join(""),
        )
        .join("")
        .trim();
      if (normalisePhone(notation) !== key) continue;
      read++;
      expect(letThrough(key, notation), JSON.stringify(notation)).toBe(true);
    }
    expect(read).toBeGreaterThan(500);
  });

  it("keeps an ASCII record of another number out", () => {
    for (const other of ["0361 987654", "03621 9876543", "0361;9876543", "0361 x 9876543"])
      expect(letThrough("+493619876543", other), other).toBe(false);
  });
});
