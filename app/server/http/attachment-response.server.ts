/** What a download carries: its bytes (or a stream of them), their type and the name to save them under. */
export interface Attachment {
  body: ReadableStream<Uint8Array> | Uint8Array | string;
  contentType: string;
  fileName: string;
  /**
   * The name came from a person (an upload): it is sent percent-encoded (RFC 8187 `filename*`), so
   * no character of it can end or extend the header. Names the portal builds are sent quoted.
   */
  nameFromUpload?: boolean;
}

/**
 * A file to save, never to show: every download of the portal (answers, letters, reports, copies of
 * documents) is an attachment, is not kept in any cache on the way, and is not sniffed for another
 * type than the one stated.
 */
export function attachmentResponse({ body, contentType, fileName, nameFromUpload }: Attachment): Response {
  const name = nameFromUpload
    ? `filename*=UTF-8''${encodeURIComponent(fileName)}`
    : // Our names hold no quote or line break; should one ever slip in, it cannot break the header.
      `filename="${fileName.replace(/["\r\n\\]/g, "_")}"`;
  // A Buffer's bytes may lie in a shared pool: copied into their own array, as Response wants them.
  const bytes = body instanceof Uint8Array ? new Uint8Array(body) : body;
  return new Response(bytes, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; ${name}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * Where a download cannot be given: the reason as plain text in the reader's language, with its
 * status, kept out of caches as the download itself would have been.
 */
export function downloadRefusal(message: string, status: number): Response {
  return new Response(message, {
    status,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
