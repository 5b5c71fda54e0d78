/**
 * German is the source language. Every text the portal shows comes from here (or from a domain
 * catalogue in app/core that carries its own translations); en.ts must have the same shape.
 */
import { journeyDe } from "./journey.de";
import { staffDe } from "./staff.de";
import { retentionDe } from "./retention.de";
import { dashboardDe } from "./dashboard.de";
import { executionDe } from "./execution.de";
import { complaintsDe } from "./complaints.de";
import { deliveryDe } from "./delivery.de";
import { printDe } from "./print.de";
import { representationDe } from "./representation.de";
import { statutoryDe } from "./statutory.de";
import { identityDe } from "./identity.de";
import { reviewDe } from "./review.de";

export const de = {
  meta: {
    siteName: "Rechteportal",
    siteOwner: "Thüringer Landesrechenzentrum",
    titleSuffix: "Rechteportal des Thüringer Landesrechenzentrums",
  },
  layout: {
    skipLink: "Zum Inhalt springen",
    mainNav: "Hauptnavigation",
    nav: { start: "Start", request: "Antrag stellen", cases: "Meine Vorgänge", privacy: "Datenschutz" },
    languageSwitch: "Sprache",
    otherLanguage: "English",
    otherLanguageHint: "Switch to English",
    refresh: "Aktualisieren",
    mailboxUpdates: "Neue Nachrichten erscheinen hier von selbst.",
    mailCount: (n: number) => (n === 1 ? "1 Nachricht im Postfach" : `${n} Nachrichten im Postfach`),
    footerNav: "Informationen",
    footer: {
      accessibility: "Barrierefreiheit",
      easyRead: "Leichte Sprache",
      privacy: "Datenschutz",
      imprint: "Impressum",
    },
  },
  staffNav: {
    label: "Navigation des internen Bereichs",
    home: "Interner Bereich",
    cases: "Vorgänge",
    intake: "Antrag erfassen",
    overview: "Übersicht",
    retention: "Aufbewahrung",
    deletionLog: "Löschprotokoll",
    sources: "Datenquellen",
    printQueue: "Postausgang",
    sessions: "Sitzungen",
    signOut: "Abmelden",
    approval: {
      proposedBy: (name: string, when: string) => `Zur Freigabe vorgelegt von ${name} am ${when}.`,
      ownProposal:
        "Sie haben diese Prüfung selbst vorgelegt. Freigeben muss eine andere Person, die freigeben darf (Vier-Augen-Prinzip), etwa die Vertretung der oder des Datenschutzbeauftragten. Zurückgeben können Sie die Vorlage, um sie zu ändern.",
      counts: (release: number, withhold: number, redact: number) =>
        `Vorgeschlagen: ${release} herausgeben, ${withhold} zurückhalten, ${redact} schwärzen.`,
      afterProposalTitle: "Nach der Vorlage geändert",
      afterProposal: (n: number) =>
        n === 1
          ? "Eine Entscheidung wurde nach der Vorlage geschrieben. Sie war nicht Teil dessen, was vorgelegt wurde: Bitte prüfen Sie sie oder geben Sie die Vorlage zurück."
          : `${n} Entscheidungen wurden nach der Vorlage geschrieben. Sie waren nicht Teil dessen, was vorgelegt wurde: Bitte prüfen Sie sie oder geben Sie die Vorlage zurück.`,
      sinceReturnedTitle: "Geändert seit der letzten Rückgabe",
      returnedWith: (name: string, comment: string) =>
        `Zurückgegeben von ${name} mit dem Hinweis: „${comment}“`,
      noChanges: "Seit der Rückgabe wurde keine Entscheidung geändert.",
      changed: (total: number, shown: number) =>
        `${total === 1 ? "Eine Entscheidung" : `${total} Entscheidungen`} geändert${shown < total ? ` (die ersten ${shown} hier, alle in der Trefferliste)` : ""}.`,
      record: "Datensatz",
      before: "vorher",
      after: "jetzt",
      decidedBy: "entschieden von",
      none: "keine",
      fields: (n: number) => (n === 1 ? "1 Feld" : `${n} Felder`),
    },
  },
  errors: {
    notFoundTitle: "Seite nicht gefunden",
    notFoundText:
      "Unter dieser Adresse gibt es keine Seite. Vielleicht hat sich die Adresse geändert oder sie wurde falsch eingegeben.",
    badRequestTitle: "Anfrage nicht verständlich",
    badRequestText:
      "Ihre Anfrage konnte nicht gelesen werden. Bitte versuchen Sie es erneut über die Seiten des Portals.",
    forbiddenTitle: "Kein Zugriff",
    forbiddenText:
      "Für diese Seite oder Aktion fehlt Ihnen die Berechtigung. Der Versuch wurde protokolliert.",
    busyTitle: "Zurzeit sehr viele Anträge",
    busyText:
      "Zurzeit gehen sehr viele Anträge ein. Ihre Angaben wurden nicht gespeichert. Bitte versuchen Sie es in einigen Minuten erneut.",
    unavailableTitle: "Vorübergehend nicht erreichbar",
    unavailableText:
      "Das Portal kann gerade nicht auf seine Daten zugreifen. Was Sie eben abgeschickt haben, ist möglicherweise nicht gespeichert worden. Bitte versuchen Sie es in einigen Minuten erneut; Ihre bereits bestätigten Anträge bleiben erhalten.",
    tooLargeTitle: "Anfrage zu groß",
    tooLargeText:
      "Ihre Anfrage ist größer als erlaubt. Bitte verkleinern Sie angehängte Dateien und versuchen Sie es erneut.",
    genericTitle: "Ein Fehler ist aufgetreten",
    genericText:
      "Das hätte nicht passieren dürfen. Bitte versuchen Sie es in einigen Minuten noch einmal. Ihre bereits bestätigten Anträge bleiben erhalten.",
    backHome: "Zur Startseite",
    status: (code: number) => `Fehlercode ${code}`,
  },
  privacyPage: {
    title: "Datenschutz: was wir verarbeiten",
    description:
      "Alle Verarbeitungstätigkeiten des Thüringer Landesrechenzentrums, die dieses Portal betrifft, mit Zweck, Rechtsgrundlage und Speicherdauer.",
    intro:
      "Diese Seite wird aus unserem Verzeichnis der Verarbeitungstätigkeiten erzeugt. Sie zeigt für jede Verarbeitung, wozu wir Daten verarbeiten, auf welcher Rechtsgrundlage, welche Daten es sind, wer sie erhält und wann wir sie löschen.",
    contents: "Inhalt",
    controller: "Verantwortliche Stelle",
    dpo: "Datenschutzbeauftragter",
    authority: "Aufsichtsbehörde",
    purposes: "Zwecke",
    legalBasis: "Rechtsgrundlage",
    dataCategories: "Datenkategorien",
    subjects: "Betroffene Personen",
    recipients: "Empfänger",
    source: "Herkunft der Daten",
    retention: "Speicherdauer",
    objection: "Widerspruch (Art. 21 DS-GVO)",
    portability: "Datenübertragbarkeit (Art. 20 DS-GVO)",
    applies: "möglich",
    notApplies: "nicht anwendbar",
    automated: "Automatisierte Entscheidungen (Art. 22 DS-GVO) finden nicht statt.",
    rights:
      "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und Widerspruch sowie das Recht, eine erteilte Einwilligung zu widerrufen. Sie können sich bei der Aufsichtsbehörde beschweren.",
    startRequest: "Antrag stellen",
    phone: "Telefon",
    email: "E-Mail",
  },
  health: { ok: "Betriebsbereit", databaseDown: "Datenbank nicht erreichbar" },
  journey: journeyDe,
  staff: staffDe,
  retention: retentionDe,
  dashboard: dashboardDe,
  execution: executionDe,
  complaints: complaintsDe,
  delivery: deliveryDe,
  print: printDe,
  representation: representationDe,
  statutory: statutoryDe,
  identity: identityDe,
  review: reviewDe,
} as const satisfies Record<string, unknown>;

type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : { [K in keyof T]: Widen<T[K]> };

export type Messages = Widen<typeof de>;
