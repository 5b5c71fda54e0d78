import { type RouteConfigEntry, route } from "@react-router/dev/routes";

/** The data subject's journey: request forms, proof of the e-mail address, the case pages. */
export const journeyRoutes: RouteConfigEntry[] = [
  route("antrag", "routes/antrag.tsx"),
  route("antrag/:art", "routes/antrag-formular.tsx"),
  route("bestaetigen", "routes/bestaetigen.tsx"),
  route("vorgang", "routes/vorgang.tsx"),
  route("vorgang/:referenz", "routes/vorgang-detail.tsx"),
  route("vorgang/:referenz/antwort/:datei", "routes/vorgang-antwort.tsx"),
  route("demo/postfach", "routes/demo-postfach.tsx"),
  // Art. 77: a complaint to the supervisory authority from any case.
  route("vorgang/:referenz/beschwerde", "routes/vorgang-beschwerde.tsx"),
  // Proof of identity through the identity provider, and the provider's way back (issue 19).
  route("vorgang/:referenz/identitaet", "routes/vorgang-identitaet.tsx"),
  route("identitaet/rueckkehr", "routes/identitaet-rueckkehr.tsx"),
];
