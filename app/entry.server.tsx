import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { renderToPipeableStream } from "react-dom/server";
import {
  type AppLoadContext,
  type EntryContext,
  type HandleErrorFunction,
  ServerRouter,
  isRouteErrorResponse,
} from "react-router";
import { describeError, log, loggedPath } from "./server/log.server";
import { NonceProvider } from "./ui/nonce";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let status = responseStatusCode;
    // Whole pages, not streamed fragments: the portal must read completely without JavaScript.
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status }));
          pipe(body);
        },
        onShellError: reject,
        onError(error) {
          status = 500;
          log.error(
            { reqId: request.headers.get("x-request-id"), err: describeError(error) },
            "rendering failed",
          );
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  // Aborted requests (a person navigating away) are not errors.
  if (request.signal.aborted) return;
  const where = {
    reqId: request.headers.get("x-request-id"),
    method: request.method,
    path: loggedPath(request.url.replace(/^[a-z]+:\/\/[^/]+/i, "")),
  };
  // A route that does not exist or a method a route does not take: one line, no stack.
  if (isRouteErrorResponse(error)) {
    log.warn({ ...where, status: error.status }, "refused by the router");
    return;
  }
  // Never the message: a failed query's message carries its parameters (an address, a name).
  log.error({ ...where, err: describeError(error) }, "route failed");
};
