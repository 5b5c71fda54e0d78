import type { Services } from "./services.server";

/** What the Express adapter hands every loader and action besides the request. */
interface PortalLoadContext {
  services: Services;
  /** Nonce of this response's Content-Security-Policy, for the inline scripts React Router writes. */
  cspNonce: string;
  /** The client's address, for per-client rate limits; never logged or stored in clear. */
  clientIp: string;
}

declare module "react-router" {
  interface AppLoadContext extends PortalLoadContext {}
}
