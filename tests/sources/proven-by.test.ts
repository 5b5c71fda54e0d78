/**
 * What a match rests on (`provenBy`, ADR 0007): the identifiers whose proof makes it a proven match
 * — also when the proof arrives after the search (issue 19 point 3). A name alone, an initial at an
 * address and a date that cannot tell rest on nothing: no proof of the person's identifiers may
 * turn them into proven matches.
 */
import { describe, expect, it } from "vitest";
import type { Subject } from "#app/sources/connector";
import { compileSubject } from "#app/sources/subject";

const HOME = "Rosmarinweg 12, 99089 Erfurt";
const NAME = "Jörg Müller";

// Nothing proven yet, as at a search before the person proved anything but their mailbox.
const joerg = compileSubject({
  emails: [{ value: "joerg@example.org", proven: true }],
  names: [{ value: NAME }],
  phones: [{ value: "0361 5550123" }],
  userNames: [],
  ips: [],
  postalAddresses: [{ value: HOME }],
  birthDate: "1980-01-01",
} satisfies Subject);

describe("what a match rests on", () => {
  it("a mailbox, line or address rests on itself", () => {
    expect(joerg.email("joerg@example.org")).toMatchObject({
      proven: true,
      provenBy: [{ kind: "email", value: "joerg@example.org" }],
    });
    expect(joerg.phone("+49 361 5550123")).toMatchObject({
      proven: false,
      provenBy: [{ kind: "phone", value: "0361 5550123" }],
    });
    expect(joerg.familyNameAtAddress("Müller", HOME, "Jörg")).toMatchObject({
      kind: "postalAddress",
      proven: false,
      provenBy: [{ kind: "postalAddress", value: HOME }],
    });
  });

  it("a name alone, or beside an initial at the address, rests on nothing", () => {
    expect(joerg.name(NAME)).toMatchObject({ proven: false, provenBy: [] });
    expect(joerg.personName("Jörg", "Müller")).toMatchObject({ proven: false, provenBy: [] });
    expect(joerg.mailbox(NAME, "someone@example.org")).toMatchObject({ kind: "name", provenBy: [] });
    expect(joerg.familyNameAtAddress("Müller", HOME, "J.")).toMatchObject({ proven: false, provenBy: [] });
    expect(joerg.nameBesideOtherContact(joerg.name(NAME)!, {})).toMatchObject({ provenBy: [] });
  });

  it("a looked-up person rests on the name only where the complete dates agree", () => {
    expect(joerg.lookedUpPerson("Jörg", "Müller", "01.01.1980")).toMatchObject({
      kind: "name",
      proven: false,
      provenBy: [{ kind: "name", value: NAME }],
    });
    expect(joerg.lookedUpPerson("Jörg", "Müller", "1980-00-00")).toMatchObject({ provenBy: [] });
    expect(joerg.lookedUpPerson("Jörg", "Müller", null)).toMatchObject({ provenBy: [] });
    expect(joerg.lookedUpPerson("Jörg", "Müller", "1981-01-01")).toBeNull();
  });

  it("once the name is proven, the agreeing look-up is proven and the name alone still is not", () => {
    const proven = compileSubject({
      emails: [],
      names: [{ value: NAME, proven: true }],
      phones: [],
      userNames: [],
      ips: [],
      postalAddresses: [],
      birthDate: "1980-01-01",
    });
    expect(proven.lookedUpPerson("Jörg", "Müller", "1980-01-01")?.proven).toBe(true);
    expect(proven.name(NAME)?.proven).toBe(false);
  });
});
