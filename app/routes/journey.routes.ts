import { type RouteConfigEntry, route } from "@react-router/dev/routes";

/** The data subject's journey: request forms, proof of the e-mail address, the case pages. */
export const journeyRoutes: RouteConfigEntry[] = [];
