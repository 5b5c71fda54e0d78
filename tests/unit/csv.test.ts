import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvLines, csvRecord } from "#app/core/csv";

const archive = { delimiter: ",", escapeFormulas: true } as const;
const register = { delimiter: ";", quoteText: true, escapeFormulas: true } as const;
const raw = { delimiter: ";", escapeFormulas: false } as const;

describe("csv", () => {
  it("quotes only cells that need it and doubles quotes inside", () => {
    expect(csvRecord(["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", "", 42], archive)).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\rhere",,42',
    );
  });

  it("quotes by the dialect's own delimiter", () => {
    expect(csvRecord(["a;b", "a,b"], raw)).toBe('"a;b";a,b');
  });

  it("neutralises text that a spreadsheet would take for a formula, but not numbers", () => {
    expect(csvRecord(["=SUM(A1)", "+49 361", "-x", "@cmd", "\tTab", "\uFF1D1", -5, "a=b"], archive)).toBe(
      "'=SUM(A1),'+49 361,'-x,'@cmd,'\tTab,'\uFF1D1,-5,a=b",
    );
    expect(csvRecord(["+4936155501000"], raw)).toBe("+4936155501000");
  });

  it("quotes every text cell but leaves numbers bare when asked to", () => {
    expect(csvRecord(["DSR-2026-000001", "", 3], register)).toBe('"DSR-2026-000001";"";3');
  });

  it("reads back unchanged with a CSV parser", () => {
    const records = [
      ["Łukasz Wiśniewski", 'Er sagte: "Nein, danke."', "Zeile 1\r\nZeile 2"],
      ["Jörg Weiß", "", "ä;ö,ü"],
    ];
    expect(parse(csvLines(records, archive), { relax_column_count: false })).toEqual(records);
    expect(parse(csvLines(records, register), { delimiter: ";" })).toEqual(records);
  });
});
