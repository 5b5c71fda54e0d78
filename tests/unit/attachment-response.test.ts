import { describe, expect, it } from "vitest";
import { attachmentResponse } from "#app/server/http/attachment-response.server";

describe("attachmentResponse", () => {
  it("sends a file to save, not cached and not sniffed, with the name we built quoted", async () => {
    const response = attachmentResponse({
      body: Buffer.from("%PDF-1.7"),
      contentType: "application/pdf",
      fileName: "DSR-2026-000001-brief.pdf",
    });
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(
      'attachment; filename="DSR-2026-000001-brief.pdf"',
    );
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await response.text()).toBe("%PDF-1.7");
  });

  it("cannot be made to end or extend the header by a name", () => {
    const ours = attachmentResponse({ body: "x", contentType: "text/plain", fileName: 'a"b\\c\r\nd.txt' });
    expect(ours.headers.get("Content-Disposition")).toBe('attachment; filename="a_b_c__d.txt"');
    const uploaded = attachmentResponse({
      body: "x",
      contentType: "image/png",
      fileName: 'Ausweis "Rückseite"; x.png',
      nameFromUpload: true,
    });
    expect(uploaded.headers.get("Content-Disposition")).toBe(
      "attachment; filename*=UTF-8''Ausweis%20%22R%C3%BCckseite%22%3B%20x.png",
    );
  });
});
