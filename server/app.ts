import "../app/server/load-context";
import { randomBytes } from "node:crypto";
import { createRequestHandler } from "@react-router/express";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { de } from "../app/i18n/de";
import { en } from "../app/i18n/en";
import type { Services } from "../app/server/services.server";

export { ConfigError, loadConfig } from "../app/server/config.server";
export { describeDemo } from "../app/server/demo.server";
export { startServices, stopServices } from "../app/server/services.server";

/** The portal's HTTP layer: security headers, request limits, then React Router. */
export function createApp(services: Services): express.Router {
  const app = express.Router();
  app.use(contentSecurity(services.config.secureCookies));
  app.use(limitRequestBody(services.config.maxBodyBytes));
  app.use(
    createRequestHandler({
      build: () => import("virtual:react-router/server-build"),
      // req.ip honours Express's "trust proxy" setting: behind a reverse proxy, set it in server.js.
      getLoadContext: (req, res) => ({ services, cspNonce: String(res.locals.cspNonce), clientIp: req.ip ?? req.socket.remoteAddress ?? "" }),
    }),
  );
  return app;
}

function contentSecurity(https: boolean) {
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
        "form-action": ["'self'"],
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

/**
 * React Router reads request bodies itself, so the limit is enforced on the declared length; a body
 * without a declared length (chunked upload) is refused, as no form of the portal sends one.
 */
function limitRequestBody(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const declared = req.headers["content-length"];
    if (declared === undefined) {
      if (req.headers["transfer-encoding"]) return refuse(res, 411, "badRequestTitle", "badRequestText");
      return next();
    }
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return refuse(res, 400, "badRequestTitle", "badRequestText");
    if (length > maxBytes) return refuse(res, 413, "tooLargeTitle", "tooLargeText");
    next();
  };
}

type ErrorText = "badRequestTitle" | "badRequestText" | "tooLargeTitle" | "tooLargeText";

/** A refusal before React Router runs: a small page in both languages, the body left unread. */
function refuse(res: Response, status: number, title: ErrorText, text: ErrorText) {
  res.setHeader("Connection", "close");
  res
    .status(status)
    .type("html")
    .send(
      `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${de.errors[title]}</title></head><body><main>` +
        `<h1>${de.errors[title]}</h1><p>${de.errors[text]}</p><p><a href="/">${de.errors.backHome}</a></p>` +
        `<div lang="en"><h2>${en.errors[title]}</h2><p>${en.errors[text]}</p><p><a href="/?lang=en">${en.errors.backHome}</a></p></div>` +
        `</main></body></html>`,
    );
}
