import "../app/server/load-context";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@react-router/node";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { createRequestHandler } from "react-router";
import { type Lang, messagesFor } from "../app/i18n";
import { getLang } from "../app/i18n/lang.server";
import { databaseIsAway } from "../app/server/database-outage.server";
import { hasForbiddenControl } from "../app/server/http/form-object";
import { describeError, log, loggedPath } from "../app/server/log.server";
import { keepPersonSessionsIn } from "../app/server/requests/person-session.server";
import type { Services } from "../app/server/services.server";
import {
  RECEIVED_FORM_HEADER,
  UploadSpool,
  forgetReceivedForm,
  keepReceivedForm,
  receiveMultipart,
  removeFiles,
} from "../app/server/uploads.server";

export { ConfigError, loadConfig } from "../app/server/config.server";
export { describeDemo } from "../app/server/demo.server";
export { startServices, stopServices } from "../app/server/services.server";

/** Our url-encoded forms hold at most a few pages of text; larger bodies are multipart uploads. */
const MAX_URLENCODED_BYTES = 1024 * 1024;
/** Requests with files that the routes handle at once: each holds a file of up to 8 MB and its encoding for the database in memory, and the embedded database stores one at a time anyway. */
const UPLOAD_HANDLING_SLOTS = 2;
/** How long a request with files waits for one of them before it is answered "busy". */
const UPLOAD_SLOT_WAIT_MS = 60_000;
/** When to try an upload again after "busy", as told in Retry-After. */
const BUSY_RETRY_AFTER_SECONDS = 60;

/** The methods the portal answers; anything else (TRACE, PUT, OPTIONS …) is refused before routing. */
const allowedMethods = new Set(["GET", "HEAD", "POST"]);

/**
 * The portal's HTTP layer: a request id and one log line per request, refusal of malformed and
 * cross-origin requests, security headers, body limits and control characters, then React Router.
 */
export function createApp(services: Services): express.Router {
  keepPersonSessionsIn(services.config, services.database.db);
  const app = express.Router();
  app.use(logRequest);
  app.use(
    contentSecurity(services.config.secureCookies, services.config.identityProvider?.issuer.origin ?? null),
  );
  app.use(refuseMalformed);
  app.use(limitRequestBody(services.config.maxBodyBytes));
  app.use(refuseForeignPosts);
  const spool = new UploadSpool(path.join(services.config.dataDir, "uploads"), {
    maxRequestBytes: services.config.maxBodyBytes,
    maxSpoolBytes: services.config.maxUploadSpoolBytes,
    handlingSlots: UPLOAD_HANDLING_SLOTS,
    slotWaitMs: UPLOAD_SLOT_WAIT_MS,
  });
  app.use(readFormBody(spool));
  app.use(reactRouter(services));
  return app;
}

function logRequest(req: Request, res: Response, next: NextFunction) {
  const id = randomUUID();
  res.locals.requestId = id;
  // Handed on to React Router's error handler; a client's own header of this name is overwritten.
  req.headers["x-request-id"] = id;
  const started = process.hrtime.bigint();
  res.once("close", () => {
    const fields = {
      reqId: id,
      method: req.method,
      path: loggedPath(req.originalUrl),
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
      ...(res.locals.refused ? { refused: String(res.locals.refused) } : {}),
      ...(res.writableFinished ? {} : { aborted: true }),
    };
    if (res.statusCode >= 500) log.error(fields, "request");
    else log.info(fields, "request");
  });
  next();
}

function contentSecurity(https: boolean, identityProviderOrigin: string | null) {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        // React Router writes inline scripts for hydration; only those carrying this response's nonce run.
        "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        // The proof of identity's form answers with a redirect to the identity provider, which
        // form-action governs too (ADR 0019): its origin is allowed, nothing else.
        "form-action": ["'self'", ...(identityProviderOrigin ? [identityProviderOrigin] : [])],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        ...(https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    // HSTS only where the portal is really served over HTTPS; a demo on localhost is not.
    strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    headers(req, res, next);
  };
}

/** A host name or address with an optional port, as a browser sends it; nothing else is routed. */
const validHost =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Requests no browser sends on our pages: another method, no or an odd Host header, a URL that is
 * not a path or whose escapes do not decode, control characters in the path or the query.
 */
function refuseMalformed(req: Request, res: Response, next: NextFunction) {
  if (!allowedMethods.has(req.method)) {
    res.setHeader("Allow", [...allowedMethods].join(", "));
    return refuse(req, res, 405, "badRequestTitle", "badRequestText", "method");
  }
  const host = req.headers.host;
  if (!host || !validHost.test(host))
    return refuse(req, res, 400, "badRequestTitle", "badRequestText", "host");
  const url = req.originalUrl;
  if (!url.startsWith("/") || url.startsWith("//"))
    return refuse(req, res, 400, "badRequestTitle", "badRequestText", "url");
  try {
    const parsed = new URL(url, `http://${host}`);
    const decodedPath = decodeURIComponent(parsed.pathname);
    if (
      hasForbiddenControl(decodedPath) ||
      [...parsed.searchParams].some(([k, v]) => hasForbiddenControl(k) || hasForbiddenControl(v))
    ) {
      return refuseControlCharacters(req, res);
    }
  } catch {
    return refuse(req, res, 400, "badRequestTitle", "badRequestText", "url");
  }
  next();
}

/**
 * Browsers send Origin with every form POST, and Referer (same-origin policy) where Origin is
 * missing; a POST with a foreign one, or with neither, is a forged form or no browser of ours.
 */
function refuseForeignPosts(req: Request, res: Response, next: NextFunction) {
  if (req.method !== "POST") return next();
  const host = (req.headers.host ?? "").toLowerCase();
  const origin = req.headers.origin ?? req.headers.referer;
  let sameOrigin = false;
  try {
    sameOrigin = origin !== undefined && new URL(origin).host.toLowerCase() === host;
  } catch {
    sameOrigin = false;
  }
  if (!sameOrigin)
    return refuse(
      req,
      res,
      403,
      "forbiddenTitle",
      "forbiddenText",
      req.headers.origin ? "cross-origin" : "no-origin",
    );
  next();
}

/**
 * React Router reads request bodies itself, so the limit is enforced on the declared length; a body
 * without a declared length (chunked upload) is refused, as no form of the portal sends one.
 */
function limitRequestBody(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const declared = req.headers["content-length"];
    if (declared === undefined) {
      if (req.headers["transfer-encoding"])
        return refuse(req, res, 411, "badRequestTitle", "badRequestText", "chunked");
      return next();
    }
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0)
      return refuse(req, res, 400, "badRequestTitle", "badRequestText", "length");
    const limit = urlEncoded.test(req.headers["content-type"] ?? "")
      ? Math.min(maxBytes, MAX_URLENCODED_BYTES)
      : maxBytes;
    if (length > limit) return refuse(req, res, 413, "tooLargeTitle", "tooLargeText", "too-large");
    next();
  };
}

const urlEncoded = /^application\/x-www-form-urlencoded\b/i;
const multipart = /^multipart\/form-data\b/i;

/**
 * Form bodies (bounded by the declared length above) are read here, so that a text field holding a
 * control character is refused with a 400 before any route sees it — in the person's language, and
 * without the value reaching the database or a log. A url-encoded body is small and read into
 * memory; a multipart body's files are streamed to disk (uploads.server.ts), its form handed to the
 * routes through `readForm`, and its files removed once the response is sent.
 */
function readFormBody(spool: UploadSpool) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const type = req.headers["content-type"] ?? "";
    if (req.method !== "POST") return next();
    try {
      if (urlEncoded.test(type)) {
        const body = await readBody(req, MAX_URLENCODED_BYTES);
        if (body === null) return await refuse(req, res, 413, "tooLargeTitle", "tooLargeText", "too-large");
        if (urlEncodedFields(body).some(hasForbiddenControl)) return await refuseControlCharacters(req, res);
        res.locals.formBody = body;
        return next();
      }
      if (multipart.test(type)) return await receiveUpload(spool, req, res, next);
      next();
    } catch (error) {
      next(error);
    }
  };
}

async function receiveUpload(spool: UploadSpool, req: Request, res: Response, next: NextFunction) {
  // A body without a declared length was refused above (411), so this bounds what lands on disk.
  const declared = Number(req.headers["content-length"] ?? 0);
  if (!spool.reserve(declared)) return refuseBusy(req, res, "upload-spool-full");
  const files: string[] = [];
  let token: string | undefined;
  let handling = false;
  const gone = new AbortController();
  res.once("close", () => {
    gone.abort();
    if (token) forgetReceivedForm(token);
    if (handling) spool.leaveHandling();
    void removeFiles(files).finally(() => spool.release(declared));
  });
  const received = await receiveMultipart(req, spool, files);
  if (!received.ok) {
    if (received.reason === "control-characters") return refuseControlCharacters(req, res);
    if (received.reason === "too-large")
      return refuse(req, res, 413, "tooLargeTitle", "tooLargeText", "too-large");
    return refuse(req, res, 400, "badRequestTitle", "badRequestText", "multipart");
  }
  if (received.hasFiles) {
    handling = await spool.enterHandling(gone.signal);
    if (!handling) return refuseBusy(req, res, "upload-slots-busy");
  }
  token = keepReceivedForm(received.form);
  res.locals.receivedForm = { token, form: received.form };
  next();
}

async function readBody(req: Request, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function urlEncodedFields(body: Buffer): string[] {
  return [...new URLSearchParams(body.toString("utf8"))].flat();
}

function reactRouter(services: Services) {
  const handle = createRequestHandler(
    () => import("virtual:react-router/server-build"),
    process.env.NODE_ENV === "development" ? "development" : "production",
  );
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const response = await handle(toFetchRequest(req, res), {
        services,
        cspNonce: String(res.locals.cspNonce),
        // req.ip honours Express's "trust proxy" setting: behind a reverse proxy, set it in server.js.
        clientIp: req.ip ?? req.socket.remoteAddress ?? "",
      });
      // A page that failed because the database is away says so (503), not "an error occurred".
      if (response.status >= 500 && (await databaseIsAway(services.database))) {
        await response.body?.cancel();
        res.setHeader("Retry-After", "30");
        return await refuse(req, res, 503, "unavailableTitle", "unavailableText", "database-away");
      }
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The request as React Router sees it; Host was checked above, a form body was read above. */
function toFetchRequest(req: Request, res: Response): globalThis.Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  // Only this layer says which form it read; a client's header of that name is dropped.
  headers.delete(RECEIVED_FORM_HEADER);
  const received = res.locals.receivedForm as { token: string; form: FormData } | undefined;
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const buffered = res.locals.formBody as Buffer | undefined;
    if (buffered) init.body = buffered as Uint8Array<ArrayBuffer>;
    else if (received) {
      // The routes take the form by the token; the body, should anything read it, is the same
      // form encoded anew from the files on disk (with its own boundary and length).
      headers.set(RECEIVED_FORM_HEADER, received.token);
      headers.delete("content-type");
      headers.delete("content-length");
      init.body = received.form;
    } else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  return new globalThis.Request(`${req.protocol}://${req.headers.host}${req.originalUrl}`, init);
}

async function sendResponse(res: Response, response: globalThis.Response) {
  if (res.destroyed || res.writableEnded) {
    await response.body?.cancel();
    return;
  }
  res.status(response.status);
  for (const [key, value] of response.headers) res.append(key, value);
  // Every page may show a person's case or a staff view: nothing of it is kept by a browser or proxy.
  res.setHeader("Cache-Control", "no-store");
  if (response.body) {
    try {
      await writeReadableStreamToWritable(response.body, res);
    } catch (error) {
      if (!res.destroyed && !res.writableEnded) throw error;
    }
  } else {
    res.end();
  }
}

/**
 * The last handler of the process: whatever failed, the client gets a plain page with a status and
 * no stack, and the log one line with the request id and the error's kind and frames.
 */
export function finalErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction) {
  const declared =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  const status = typeof declared === "number" && declared >= 400 && declared < 600 ? declared : 500;
  log[status >= 500 ? "error" : "warn"](
    {
      reqId: res.locals.requestId,
      method: req.method,
      path: loggedPath(req.originalUrl ?? ""),
      status,
      err: describeError(error),
    },
    "request failed",
  );
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status === 413) return void refuse(req, res, 413, "tooLargeTitle", "tooLargeText");
  if (status < 500) return void refuse(req, res, status, "badRequestTitle", "badRequestText");
  void refuse(req, res, 500, "genericTitle", "genericText");
}

type Errors = ReturnType<typeof messagesFor>["errors"];
/** The texts of the error catalogue that are plain strings (not functions of a value). */
type ErrorText = { [K in keyof Errors]: Errors[K] extends string ? K : never }[keyof Errors];

/**
 * A refusal before React Router runs: a small page in the person's language (their choice in the
 * cookie or the query, else German), the body left unread.
 */
async function refuse(
  req: Request,
  res: Response,
  status: number,
  title: ErrorText,
  text: ErrorText,
  reason?: string,
) {
  const lang = await personLang(req);
  const m = messagesFor(lang);
  res.setHeader("Connection", "close");
  sendPage(res, status, lang, m.errors[title], m.errors[text], reason);
}

/** Too many uploads at once (on disk or being handled): try again later, nothing was kept. */
async function refuseBusy(req: Request, res: Response, reason: string) {
  res.setHeader("Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
  return refuse(req, res, 503, "busyTitle", "busyText", reason);
}

/** Control characters in a form or the URL: a 400 that says so, in the person's language. */
async function refuseControlCharacters(req: Request, res: Response) {
  const lang = await personLang(req);
  const m = messagesFor(lang);
  sendPage(
    res,
    400,
    lang,
    m.errors.badRequestTitle,
    m.journey.errors.controlCharacters,
    "control-characters",
  );
}

function sendPage(res: Response, status: number, lang: Lang, title: string, text: string, reason?: string) {
  if (reason) res.locals.refused = reason;
  res.setHeader("Cache-Control", "no-store");
  res
    .status(status)
    .type("html")
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title></head><body><main>` +
        `<h1>${title}</h1><p>${text}</p>` +
        `<p><a href="/${lang === "de" ? "" : `?lang=${lang}`}">${messagesFor(lang).errors.backHome}</a></p>` +
        `</main></body></html>`,
    );
}

async function personLang(req: Request): Promise<Lang> {
  try {
    return await getLang(
      new globalThis.Request("http://portal.invalid/?" + langQuery(req), {
        headers: { Cookie: req.headers.cookie ?? "" },
      }),
    );
  } catch {
    // A cookie or query that cannot be read: the portal's default language.
    return "de";
  }
}

/** Only the language of the query is looked at; the rest of it may hold the refused characters. */
function langQuery(req: Request): string {
  const lang = typeof req.query.lang === "string" ? req.query.lang : "";
  return /^[a-z]{2}$/.test(lang) ? `lang=${lang}` : "";
}
