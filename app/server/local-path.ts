/**
 * Where a redirect may go after a form or a switch: only a path on this site. Anything else
 * ("//evil.example", "https://…", "/\\evil") falls back to the start page, so the portal cannot be
 * used to send people elsewhere.
 */
export function localPath(candidate: string | null | undefined, fallback = "/"): string {
  if (!candidate || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.includes("\\"))
    return fallback;
  try {
    const url = new URL(candidate, "http://portal.invalid");
    if (url.origin !== "http://portal.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
