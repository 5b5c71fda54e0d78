import * as antragFormular from "#app/routes/antrag-formular";
import type { Services } from "#app/server/services.server";
import { renderedPage } from "./rendered-page";
import { openStaffSession } from "./staff";

/**
 * Calling route modules' loaders and actions directly with real Request objects, as React Router
 * does: the routes' own parsing, checks and status codes are what the tests see.
 */
export const testBase = "http://portal.test";

/** A form post as a browser on the portal's own pages sends it: with its Origin, which staff changes require. */
export function post(pathname: string, fields: Record<string, string | string[]>, cookie?: string): Request {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return new Request(`${testBase}${pathname}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: testBase,
      ...(cookie ? { Cookie: cookie } : {}),
    },
  });
}

/** What a route action or loader produced: a Response (redirect), data() with a status, or plain data. */
export async function outcome(
  run: () => Promise<unknown>,
): Promise<{ status: number; location?: string; cookie?: string; data?: unknown }> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) {
    return {
      status: value.status,
      location: value.headers.get("Location") ?? undefined,
      cookie: value.headers.get("Set-Cookie")?.split(";")[0],
    };
  }
  if (value && typeof value === "object" && "type" in value && value.type === "DataWithResponseInit") {
    const { data, init } = value as unknown as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, data };
  }
  if (value instanceof Error) throw value;
  return { status: 200, data: value };
}

/** What a route receives as load context, for the given services. */
export function routeContext(services: Services): never {
  return { services, cspNonce: "test" } as never;
}

/** A signed-in staff session with a fresh second factor, as the sign-in pages leave it: its cookie. */
export function staffSessionCookie(services: Services, staffId: string): Promise<string> {
  return openStaffSession(services.database.db, services.config, staffId, { hours: 1 });
}

/**
 * The staff case page as the signed-in staff member with `cookie` gets it: its loader's status and
 * data, and the markup rendered from them.
 */
export async function renderedStaffCasePage(
  services: Services,
  cookie: string,
  requestId: string,
): Promise<{ status: number; data: Record<string, unknown>; html: string }> {
  // Loaded when asked for: most files that use these helpers never open the staff page.
  const vorgang = await import("#app/routes/intern/vorgang");
  const pathname = `/intern/vorgaenge/${requestId}`;
  const request = new Request(`${testBase}${pathname}`, { headers: { Cookie: cookie } });
  const loaded = await outcome(() =>
    vorgang.loader({ request, params: { id: requestId }, context: routeContext(services) } as never),
  );
  const html =
    loaded.status === 200
      ? renderedPage({ id: "vorgang", path: "/intern/vorgaenge/:id", Component: vorgang.default }, pathname, {
          loaderData: loaded.data,
        })
      : "";
  return { status: loaded.status, data: loaded.data as Record<string, unknown>, html };
}

/** Files a request through the real form action, as a browser without JavaScript would. */
export async function fileRequest(
  services: Services,
  email: string,
  fields: Record<string, string | string[]> = {},
  art = "auskunft",
) {
  const submissionKey = `key-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const request = post(`/antrag/${art}`, { submissionKey, email, website: "", ...fields });
  const result = await outcome(() =>
    antragFormular.action({ request, params: { art }, context: routeContext(services) } as never),
  );
  return {
    ...result,
    submissionKey,
    requestId: result.location ? new URL(result.location, testBase).searchParams.get("antrag") : null,
  };
}
