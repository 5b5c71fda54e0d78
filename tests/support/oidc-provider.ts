import { generateKeyPairSync } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

/** A person as the identity provider knows them: what it hands over and at which eIDAS level. */
export interface TestAccount {
  given_name: string;
  family_name: string;
  birthdate: string;
  address?: { street_address: string; postal_code: string; locality: string; country?: string };
  /** The `acr` the ID token carries. */
  acr: string;
}

export const EIDAS = {
  low: "http://eidas.europa.eu/LoA/low",
  substantial: "http://eidas.europa.eu/LoA/substantial",
  high: "http://eidas.europa.eu/LoA/high",
} as const;

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Seconds an authorisation code lives; a test shortens it to see an expired code refused. */
  codeTtl: number;
  /**
   * A nonce the provider puts into its ID tokens instead of the one the portal asked for (null: the
   * one asked for): it replaces the nonce of every authorisation request it receives, so a browser
   * test sees the portal refuse an ID token that was not issued for its sign-in.
   */
  foreignNonce: string | null;
  /**
   * Milliseconds the token endpoint waits before it answers a code: with `codeTtl` 1 the portal's
   * redemption comes after the code expired, whatever the browser does in between.
   */
  tokenDelayMs: number;
  /** The environment that points the portal at this provider. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's oidc-provider) on 127.0.0.1, as the state's identity
 * provider would be: one confidential client, PKCE required, ID tokens signed with a fresh RSA key,
 * the standard claims (profile, address) from the accounts given. Its sign-in is one page: choose
 * the test ID card and agree (or refuse), which gives both login and consent.
 */
export async function startTestProvider(
  accounts: Record<string, TestAccount>,
  publicUrl: string,
): Promise<TestProvider> {
  const clientId = "rechteportal-test";
  const clientSecret = "test-secret-of-the-portal-at-the-provider";
  let provider: Provider | undefined;
  const server: Server = createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end();
    if (req.url?.startsWith("/interaction/")) void interaction(provider, req, res, accounts);
    else {
      if (state.foreignNonce && req.url?.startsWith("/auth?")) {
        const url = new URL(req.url, issuer);
        url.searchParams.set("nonce", state.foreignNonce);
        req.url = `${url.pathname}${url.search}`;
      }
      if (state.tokenDelayMs > 0 && req.url === "/token")
        setTimeout(() => provider!.callback()(req, res), state.tokenDelayMs);
      else provider.callback()(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const state: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    codeTtl: 60,
    foreignNonce: null,
    tokenDelayMs: 0,
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_PROVIDER_NAME: "Test-Identitätsanbieter",
      PUBLIC_URL: publicUrl,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [new URL("/identitaet/rueckkehr", publicUrl).href],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    findAccount: async (_ctx, id) => {
      const account = accounts[id];
      if (!account) return undefined;
      const { acr: _acr, ...claims } = account;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    // The level (acr) goes with every ID token, as the state's providers send it without being asked.
    claims: {
      auth_time: null,
      sid: null,
      openid: ["sub", "acr"],
      profile: ["given_name", "family_name", "birthdate"],
      address: ["address"],
    },
    acrValues: Object.values(EIDAS),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: () => state.codeTtl,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Grant: 600,
      Session: 600,
    },
    jwks: { keys: [{ ...key, use: "sig", alg: "RS256" } as never] },
    cookies: { keys: ["test-provider-cookie-key"] },
  };
  provider = new Provider(issuer, configuration);
  return state;
}

async function interaction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  accounts: Record<string, TestAccount>,
): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      const options = Object.keys(accounts)
        .map((id) => `<option value="${id}">${id}</option>`)
        .join("");
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      res.end(
        `<!doctype html><html lang="de"><title>Test-Identitätsanbieter</title><h1>Test-Identitätsanbieter</h1>` +
          `<form method="post" action="/interaction/${details.uid}"><label for="account">Ausweis</label>` +
          `<select id="account" name="account">${options}</select>` +
          `<button name="choice" value="consent">Zustimmen</button>` +
          `<button name="choice" value="abort">Abbrechen</button></form>`,
      );
      return;
    }
    const body = new URLSearchParams(
      await new Promise<string>((resolve) => {
        let text = "";
        req.on("data", (chunk: Buffer) => (text += chunk.toString()));
        req.on("end", () => resolve(text));
      }),
    );
    const accountId = body.get("account") ?? "";
    const account = accounts[accountId];
    if (body.get("choice") !== "consent" || !account) {
      await provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "the person refused" },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId, acr: account.acr }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  } catch {
    if (!res.headersSent) res.writeHead(400).end("interaction failed");
  }
}
