import { describe, expect, it } from "vitest";
import {
  activitiesForStoreKind,
  controller,
  dataProtectionOfficer,
  processingActivities,
  processingActivityById,
  processingActivityIds,
  supervisoryAuthority,
  type Localized,
  type ProcessingActivity,
} from "#app/core/processing-activities";
import { retentionRuleIds, retentionRules } from "#app/core/retention";
import { storeKinds } from "#app/core/store-kinds";

function expectLocalized(text: Localized, where: string): void {
  expect(text.de.trim(), `${where} (de)`).not.toBe("");
  expect(text.en.trim(), `${where} (en)`).not.toBe("");
  expect(text.en, `${where}: English must be a translation, not a copy`).not.toBe(text.de);
}

function localizedTexts(activity: ProcessingActivity): [string, Localized][] {
  return [
    ["name", activity.name],
    ["source", activity.source],
    ["legalBasis.text", activity.legalBasis.text],
    ["objectionNote", activity.objectionNote],
    ...activity.purposes.map((text, i): [string, Localized] => [`purposes[${i}]`, text]),
    ...activity.dataCategories.map((text, i): [string, Localized] => [`dataCategories[${i}]`, text]),
    ...activity.dataSubjectCategories.map((text, i): [string, Localized] => [
      `dataSubjectCategories[${i}]`,
      text,
    ]),
    ...activity.recipients.map((text, i): [string, Localized] => [`recipients[${i}]`, text]),
  ];
}

const byId = (id: string) => processingActivities.find((activity) => activity.id === id);

describe("register of processing activities", () => {
  it("lists every activity once, in the declared order", () => {
    expect(processingActivities.map((activity) => activity.id)).toEqual([...processingActivityIds]);
    for (const id of processingActivityIds) expect(processingActivityById[id]?.id).toBe(id);
  });

  it("covers each processing of the two privacy notices", () => {
    for (const id of [
      "website-visit",
      "beauskunftung-login",
      "retrieval-protocol",
      "contact-form",
      "telephone",
      "email",
      "letter",
      "fax",
      "support-ticket",
      "rechteportal",
    ]) {
      expect(byId(id), id).toBeDefined();
    }
  });

  it("is complete in German and English for every entry", () => {
    for (const activity of processingActivities) {
      expect(activity.purposes.length, activity.id).toBeGreaterThan(0);
      expect(activity.dataCategories.length, activity.id).toBeGreaterThan(0);
      expect(activity.dataSubjectCategories.length, activity.id).toBeGreaterThan(0);
      expect(activity.recipients.length, activity.id).toBeGreaterThan(0);
      expect(activity.retentionRuleIds.length, activity.id).toBeGreaterThan(0);
      for (const [field, text] of localizedTexts(activity)) expectLocalized(text, `${activity.id}.${field}`);
    }
  });

  it("names a legal basis in the GDPR and in national law for every entry", () => {
    for (const activity of processingActivities) {
      expect(activity.legalBasis.gdpr.length, activity.id).toBeGreaterThan(0);
      expect(activity.legalBasis.national.length, activity.id).toBeGreaterThan(0);
      for (const ref of activity.legalBasis.gdpr) expect(ref, activity.id).toMatch(/DS-GVO$/);
      expect(
        activity.legalBasis.gdpr.some((ref) => ref.startsWith("Art. 6 Abs. 1")),
        activity.id,
      ).toBe(true);
    }
  });

  it("refers only to existing retention rules, and every rule belongs to an activity", () => {
    const used = new Set<string>();
    for (const activity of processingActivities) {
      for (const ruleId of activity.retentionRuleIds) {
        expect(retentionRules[ruleId], `${activity.id} → ${ruleId}`).toBeDefined();
        used.add(ruleId);
      }
      expect(new Set(activity.retentionRuleIds).size, activity.id).toBe(activity.retentionRuleIds.length);
    }
    expect([...used].sort()).toEqual([...retentionRuleIds].sort());
  });

  it("maps every source store kind to at least one activity, and only known kinds", () => {
    for (const activity of processingActivities) {
      for (const kind of activity.storeKinds) expect(storeKinds, activity.id).toContain(kind);
    }
    for (const kind of storeKinds) expect(activitiesForStoreKind(kind).length, kind).toBeGreaterThan(0);
    expect(activitiesForStoreKind("retrieval-protocol-db").map((activity) => activity.id)).toEqual([
      "retrieval-protocol",
    ]);
    expect(activitiesForStoreKind("call-records-csv").map((activity) => activity.id)).toEqual(["telephone"]);
    expect(activitiesForStoreKind("maildir").map((activity) => activity.id)).toEqual([
      "contact-form",
      "email",
      "fax",
    ]);
  });

  it("grants portability only where processing rests on consent or contract", () => {
    for (const activity of processingActivities) {
      const consentOrContract = activity.legalBasis.gdpr.some((ref) =>
        /Art\. 6 Abs\. 1 UAbs\. 1 Buchst\. [ab] /.test(ref),
      );
      expect(activity.portabilityApplies, activity.id).toBe(consentOrContract);
    }
    expect(
      processingActivities.filter((activity) => activity.portabilityApplies).map((activity) => activity.id),
    ).toEqual(["contact-form"]);
  });

  it("records the reasoning for excluded objections, as the notices do for web and login logs", () => {
    expect(byId("website-visit")?.objectionApplies).toBe(false);
    expect(byId("beauskunftung-login")?.objectionApplies).toBe(false);
    expect(byId("email")?.objectionApplies).toBe(true);
    for (const activity of processingActivities) {
      // Art. 21(1) only reaches processing under Art. 6(1)(e) or (f): without it there is nothing to object to.
      const publicTask = activity.legalBasis.gdpr.some((ref) => /Buchst\. [ef] /.test(ref));
      if (activity.objectionApplies) expect(publicTask, activity.id).toBe(true);
      expect(activity.objectionNote.de.length, activity.id).toBeGreaterThan(40);
    }
  });

  it("names the actual recipient of retrieval requests", () => {
    const recipients = byId("retrieval-protocol")?.recipients ?? [];
    expect(
      recipients.some(
        (recipient) =>
          recipient.de.includes("Auskunft gebende Stelle") && recipient.de.includes("Meldebehörde"),
      ),
    ).toBe(true);
    expect(
      byId("support-ticket")?.recipients.some((recipient) => recipient.de.includes("Servicecenter")),
    ).toBe(true);
  });

  it("has no automated decisions", () => {
    for (const activity of processingActivities) expect(activity.automatedDecision).toBe(false);
  });
});

describe("contacts", () => {
  it("gives the controller and the DPO with the data centre's addresses", () => {
    expect(controller.email).toBe("poststelle@tlrz.thueringen.de");
    expect(controller.address).toEqual({
      street: "Ludwig-Erhard-Ring 8",
      postalCode: "99099",
      city: "Erfurt",
    });
    expect(controller.switchboard).toBe("+49 361 57-100");
    expect(dataProtectionOfficer.email).toBe("TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de");
    expect(dataProtectionOfficer.address).toEqual(controller.address);
    expectLocalized(controller.name, "controller");
    expectLocalized(dataProtectionOfficer.name, "dataProtectionOfficer");
  });

  it("gives the supervisory authority TLfDI", () => {
    expect(supervisoryAuthority).toMatchObject({
      address: { street: "Häßlerstraße 8", postalCode: "99096", city: "Erfurt" },
      email: "poststelle@datenschutz.thueringen.de",
      phone: "+49 361 57 3112900",
      web: "https://www.tlfdi.de",
    });
    expect(supervisoryAuthority.name.de).toContain(
      "Thüringer Landesbeauftragter für den Datenschutz und die Informationsfreiheit",
    );
    expectLocalized(supervisoryAuthority.name, "supervisoryAuthority");
  });

  it("uses well-formed e-mail addresses and phone numbers", () => {
    for (const contact of [controller, dataProtectionOfficer, supervisoryAuthority]) {
      expect(contact.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/i);
      expect(contact.phone).toMatch(/^\+49 [\d -]+$/);
    }
  });
});
