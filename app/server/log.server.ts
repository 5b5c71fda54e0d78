import pino from "pino";

/**
 * The portal's structured log: one JSON line per event, to standard output. What goes in is ids,
 * paths, status codes and error kinds — never a form value, a query string, an e-mail address or an
 * error message (a failed query's message carries its parameters). `LOG_LEVEL=silent` mutes it.
 */
export const log = pino({
  // An unknown level falls back to "info" rather than stopping the start with a stack.
  level:
    process.env.LOG_LEVEL &&
    (process.env.LOG_LEVEL === "silent" || process.env.LOG_LEVEL in pino.levels.values)
      ? process.env.LOG_LEVEL
      : "info",
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export interface LoggedError {
  type: string;
  /** A machine code where the error has one (PostgreSQL's SQLSTATE, Node's ERR_…). */
  code?: string;
  /** Where it happened: the stack's frames (file paths and line numbers), without its message. */
  frames?: string[];
  cause?: LoggedError;
}

/** An error as far as it may be logged: its kind, code and frames, never its message. */
export function describeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: error === null ? "null" : typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 8)
    .map((line) => line.trim());
  const cause = (error as { cause?: unknown }).cause;
  return {
    type: error.constructor?.name || error.name,
    ...(typeof code === "string" || typeof code === "number" ? { code: String(code) } : {}),
    ...(frames.length > 0 ? { frames } : {}),
    ...(cause !== undefined && depth < 3 ? { cause: describeError(cause, depth + 1) } : {}),
  };
}

/** The path of a URL for the log: no query (it may carry an address), bounded in length. */
export function loggedPath(url: string): string {
  const path = url.split("?")[0] ?? "";
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
