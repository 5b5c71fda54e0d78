import type { Services } from "../services.server";

/**
 * Being removed (ADR 0018): the journey's use cases take `Pick<Services, …>`, so a caller passes the
 * services themselves. Kept only until the last two routes stop calling it.
 */
export function journeyDeps(services: Services): Services {
  return services;
}
