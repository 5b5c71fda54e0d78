import { type RouteConfigEntry, route } from "@react-router/dev/routes";

/** The staff area: sign-in with password and TOTP, then the work on cases. */
export const staffRoutes: RouteConfigEntry[] = [
  route("intern", "routes/intern/index.tsx"),
  route("intern/anmelden", "routes/intern/anmelden.tsx"),
  route("intern/anmelden/code", "routes/intern/anmelden-code.tsx"),
  route("intern/einrichten", "routes/intern/einrichten.tsx"),
  route("intern/bestaetigen", "routes/intern/bestaetigen.tsx"),
  route("intern/abmelden", "routes/intern/abmelden.tsx"),
  route("intern/sitzungen", "routes/intern/sitzungen.tsx"),
  // Requests that came by letter, fax, e-mail, phone or in person.
  route("intern/eingang", "routes/intern/eingang.tsx"),
  route("intern/vorgaenge", "routes/intern/vorgaenge.tsx"),
  route("intern/vorgaenge/:id", "routes/intern/vorgang.tsx"),
];
