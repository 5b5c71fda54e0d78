import { describe, expect, it } from "vitest";
import {
  emailMailboxKey,
  ipTextForms,
  nameKey,
  normaliseBirthDate,
  normaliseEmail,
  normaliseIp,
  normalisePhone,
  personNameKey,
  postalAddressKey,
  userNameKey,
} from "../../app/core/identifiers";

describe("e-mail", () => {
  it("trims, lower-cases and composes Unicode", () => {
    expect(normaliseEmail("  Erika.Mustermann@Example.ORG ")).toBe("erika.mustermann@example.org");
    expect(normaliseEmail("zoë.schäfer@example.de".normalize("NFD"))).toBe("zoë.schäfer@example.de");
    expect(normaliseEmail("<a@example.org>")).toBe("a@example.org");
    expect(normaliseEmail("not an address")).toBeNull();
  });
  it("folds what providers document, and +tags everywhere only when asked", () => {
    expect(emailMailboxKey("L.u.kas+news@GoogleMail.com")).toBe("lukas@gmail.com");
    expect(emailMailboxKey("erika+x@example.org")).toBe("erika+x@example.org");
    expect(emailMailboxKey("erika+x@example.org", { foldPlusAliasEverywhere: true })).toBe("erika@example.org");
  });
});

describe("phone numbers", () => {
  it.each([
    "0361 573635800",
    "+49 (0)361 57-3635800",
    "0049361573635800",
    "(0361) 57 36 35 800",
    "+49 361 57-3635800",
    "0361/573635800",
  ])("%s is +49361573635800", (notation) => {
    expect(normalisePhone(notation)).toBe("+49361573635800");
  });
  it("keeps foreign numbers and refuses non-numbers", () => {
    expect(normalisePhone("0048 601 234 567")).toBe("+48601234567");
    expect(normalisePhone("anonymous")).toBeNull();
  });
});

describe("IP addresses", () => {
  it("reads every textual form", () => {
    expect(normaliseIp("::ffff:198.51.100.23")).toBe("198.51.100.23");
    expect(normaliseIp("198.051.100.023")).toBe("198.51.100.23");
    expect(normaliseIp("198.51.100.23:4711")).toBe("198.51.100.23");
    expect(normaliseIp("2001:0DB8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(normaliseIp("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normaliseIp("fe80::1%eth0")).toBe("fe80::1");
    expect(normaliseIp("999.1.1.1")).toBeNull();
  });
  it("lists the byte forms a log may hold", () => {
    expect(ipTextForms("2001:db8::1")).toEqual(["2001:db8::1", "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "2001:0db8:0000:0000:0000:0000:0000:0001"]);
  });
});

describe("names", () => {
  it("treats German spellings, case and order as one name", () => {
    const key = nameKey("Jürgen Müller");
    for (const variant of ["Juergen Mueller", "JÜRGEN MÜLLER", "Müller, Jürgen", "  jürgen   müller "]) expect(nameKey(variant)).toBe(key);
    expect(nameKey("Jürgen Muller")).not.toBe(key);
    expect(nameKey("Jürgen Möller")).not.toBe(key);
  });
  it("folds other diacritics and double-name separators", () => {
    expect(nameKey("Łukasz Wiśniewski")).toBe(nameKey("Lukasz Wisniewski"));
    expect(nameKey("Grete Meyer-Lüdenscheidt")).toBe(nameKey("Grete Meyer Luedenscheidt"));
    expect(nameKey("Straßburger")).toBe("strassburger");
    expect(nameKey("Ａｎｎａ")).toBe("anna");
    expect(personNameKey("Zoë", "O'Connor")).toBe("zoe oconnor");
  });
  it("user names, birth dates, addresses", () => {
    expect(userNameKey(" EMustermann ")).toBe("emustermann");
    expect(normaliseBirthDate("2.3.1988")).toBe("1988-03-02");
    expect(normaliseBirthDate("1988-03-02")).toBe("1988-03-02");
    expect(postalAddressKey("Heidestraße 17, 51147 Köln")).toBe(postalAddressKey("Heidestr. 17 51147 Koeln"));
  });
});
