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
  route("intern/vorgaenge/:id/brief.pdf", "routes/intern/brief-pdf.tsx"),
  route("intern/vorgaenge/:id/umsetzung", "routes/intern/umsetzung.tsx"),
  // The check of a representative's authority, posted from the case page (ADR 0011).
  route("intern/vorgaenge/:id/vertretung", "routes/intern/vertretung.tsx"),
  // A complaint taken in from a letter: staff confirm its forwarding to the TLfDI (ADR 0015).
  route("intern/vorgaenge/:id/beschwerde", "routes/intern/beschwerde.tsx"),
  // The DPO's view: figures, the register of requests (CSV) and the annual report (PDF).
  route("intern/uebersicht", "routes/intern/uebersicht.tsx"),
  route("intern/antragsverzeichnis.csv", "routes/intern/antragsverzeichnis[.]csv.tsx"),
  route("intern/jahresbericht.pdf", "routes/intern/jahresbericht[.]pdf.tsx"),
  route("intern/aufbewahrung", "routes/intern/aufbewahrung.tsx"),
  route("intern/loeschprotokoll", "routes/intern/loeschprotokoll.tsx"),
  // The source stores, each checked when the page loads.
  route("intern/quellen", "routes/intern/quellen.tsx"),
  // Art. 12(6) DS-GVO: a copy of an identity document, opened before the check is recorded.
  route("intern/vorgaenge/:id/identitaetsdokument/:documentId", "routes/intern/identitaetsdokument.tsx"),
  // § 21(5) ThürDSG: the record of a restricted access for the TLfDI (PDF).
  route("intern/vorgaenge/:id/tlfdi-nachweis", "routes/intern/tlfdi-nachweis.tsx"),
  // Letters for people who wrote by post: print, post, record the day (druck-brief: one letter's PDF).
  route("intern/druck", "routes/intern/druck.tsx"),
  route("intern/druck/:id", "routes/intern/druck-brief.tsx"),
];
