import { type RouteConfigEntry, route } from "@react-router/dev/routes";

/** The data subject's journey: request forms, proof of the e-mail address, the case pages. */
export const journeyRoutes: RouteConfigEntry[] = [
  route("antrag", "routes/antrag.tsx"),
  route("antrag/:art", "routes/antrag-formular.tsx"),
  route("bestaetigen", "routes/bestaetigen.tsx"),
  route("vorgang", "routes/vorgang.tsx"),
  route("vorgang/:referenz", "routes/vorgang-detail.tsx"),
  route("demo/postfach", "routes/demo-postfach.tsx"),
];
