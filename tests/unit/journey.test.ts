import { describe, expect, it } from "vitest";
import { journeyDe } from "#app/i18n/journey.de";
import { journeyEn } from "#app/i18n/journey.en";
import { safeFileName, sniffDocumentType } from "#app/server/requests/documents.server";
import {
  asErrorKey,
  berlinLocalDateTime,
  codeSchema,
  errorKeys,
  requestFormSchema,
} from "#app/server/requests/request-form";
import { generateCode, hashCode } from "#app/server/verification.server";

const key = "unit-test-submission-key";

describe("request form schema", () => {
  it("needs only the e-mail address for access", () => {
    const parsed = requestFormSchema("auskunft").safeParse({
      submissionKey: key,
      email: " Erika@Example.org ",
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.kinds).toEqual(["auskunft"]);
  });

  it("refuses a missing or broken address with our error keys", () => {
    const missing = requestFormSchema("auskunft").safeParse({ submissionKey: key });
    expect(missing.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["email", "required"]]);
    const broken = requestFormSchema("auskunft").safeParse({ submissionKey: key, email: "erika@" });
    expect(broken.error?.issues[0]?.message).toBe("email");
  });

  it("asks for the fields of every chosen kind, and only of those", () => {
    const parsed = requestFormSchema("auskunft").safeParse({
      submissionKey: key,
      email: "a@example.org",
      kinds: ["einschraenkung", "loeschung"],
    });
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["details.einschraenkung.restrictionGround", "choice"],
    ]);
    const ok = requestFormSchema("auskunft").safeParse({
      submissionKey: key,
      email: "a@example.org",
      kinds: ["einschraenkung"],
      details: {
        einschraenkung: { restrictionGround: "c", smuggled: "x" },
        berichtigung: { correctValue: "ignored" },
      },
    });
    expect(ok.data?.details).toEqual({ einschraenkung: { restrictionGround: "c" } });
  });

  it("checks identifiers: e-mail and phone lists, IP addresses with times, date of birth", () => {
    const parsed = requestFormSchema("auskunft").safeParse({
      submissionKey: key,
      email: "a@example.org",
      otherEmails: "b@example.org\nnot-an-address",
      phones: "0361 123456\nabc",
      ip: [
        { address: "300.1.1.1" },
        { address: "2001:db8::1", from: "2026-10-02T10:00", to: "2026-10-01T10:00" },
      ],
      birthDate: "31.02.1980",
    });
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["otherEmails", "emailList"],
      ["phones", "phoneList"],
      ["birthDate", "birthDate"],
      ["ip.0.address", "ip"],
      ["ip.1.to", "ipRange"],
    ]);
  });

  it("reads datetime-local values as Berlin time, summer and winter", () => {
    expect(berlinLocalDateTime("2026-07-01T12:00")?.toISOString()).toBe("2026-07-01T10:00:00.000Z");
    expect(berlinLocalDateTime("2026-01-01T12:00")?.toISOString()).toBe("2026-01-01T11:00:00.000Z");
    expect(berlinLocalDateTime("2026-02-30T12:00")).toBeNull();
    expect(berlinLocalDateTime("2026-01-01T24:00")).toBeNull();
  });

  it("maps foreign messages to 'invalid' and has a text for every error key in both languages", () => {
    expect(asErrorKey("Invalid input: expected string")).toBe("invalid");
    for (const k of errorKeys) {
      expect(journeyDe.errors[k]).toBeTruthy();
      expect(journeyEn.errors[k]).toBeTruthy();
    }
  });

  it("accepts codes with spaces and nothing but six digits", () => {
    expect(codeSchema.parse(" 123 456 ")).toBe("123456");
    expect(codeSchema.safeParse("12345").success).toBe(false);
    expect(codeSchema.safeParse("12345a").success).toBe(false);
  });
});

describe("codes", () => {
  it("are six digits and hashed per secret and target", () => {
    expect(generateCode()).toMatch(/^\d{6}$/);
    const a = hashCode("secret", "request-proof", "id-1", "123456");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(hashCode("secret", "request-proof", "id-2", "123456"));
    expect(a).not.toBe(hashCode("other", "request-proof", "id-1", "123456"));
    expect(a).not.toContain("123456");
  });
});

describe("documents", () => {
  it("are recognised by their bytes, not by their name", () => {
    expect(sniffDocumentType(Buffer.from("%PDF-1.7\n"))).toBe("application/pdf");
    expect(sniffDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      "image/png",
    );
    expect(sniffDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffDocumentType(Buffer.from("MZ\x90\x00"))).toBeNull();
    expect(sniffDocumentType(Buffer.from("%PD"))).toBeNull();
  });

  it("get harmless names with the extension of their real type", () => {
    expect(safeFileName("../../etc/passwd", "application/pdf")).toBe("passwd.pdf");
    expect(safeFileName("C:\\Users\\Łukasz\\Scan <1>.exe", "image/png")).toBe("Scan _1_.png");
    expect(safeFileName("", "image/jpeg")).toBe("dokument.jpg");
  });
});
