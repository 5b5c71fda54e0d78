import type { Route } from "./+types/healthz";
import { checkHealth } from "../server/health.server";

/** Liveness for the load balancer: 200 with the database reachable, 503 without. */
export async function loader({ context }: Route.LoaderArgs) {
  const health = await checkHealth(context.services);
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
