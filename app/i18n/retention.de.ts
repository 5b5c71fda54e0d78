import type { SweepOutcome, SweepTrigger } from "../core/retention";
import { textsOf } from "./texts";

/** Texts of the deletion concept: retention rules, sweeps and their evidence. */
export const retentionDe = {
  title: "Aufbewahrung und Löschung",
  rules: {
    title: "Aufbewahrungsregeln",
    intro:
      "Für jede Datenart legt eine Regel fest, ab welchem Ereignis die Frist läuft, wie lange die Daten aufbewahrt werden und ob bis zum Jahresende gewartet wird. Frist und Jahresende können Sie innerhalb der gesetzlichen Grenzen ändern; jede Änderung wird im Prüfpfad festgehalten. Die tägliche Löschung wendet die hier gezeigten Regeln an.",
    dataType: "Datenart",
    legalReference: "Rechtsgrundlage",
    startEvent: "Fristbeginn",
    period: "Frist",
    rounding: "Bis Jahresende",
    bounds: "Gesetzliche Grenzen",
    minimum: (text: string) => `mindestens ${text}`,
    maximum: (text: string) => `höchstens ${text}`,
    noBounds: "keine",
    yearEnd: "zum Ende des Kalenderjahres",
    yes: "ja",
    no: "nein",
    archive: "Vor der Löschung Angebot an das Archiv (§ 23 ThürDSG)",
    changedAt: (when: string) => `geändert am ${when}`,
    standard: "Standard",
    change: "Ändern",
    amount: (rule: string) => `Anzahl für ${rule}`,
    unit: (rule: string) => `Einheit für ${rule}`,
    roundToEndOfYear: (rule: string) => `${rule}: bis zum Ende des Kalenderjahres aufbewahren`,
    save: (rule: string) => `Frist für ${rule} speichern`,
    saveShort: "Speichern",
    saved: (rule: string) => `Die Regel „${rule}“ wurde geändert.`,
    dryRunTitle: "Probelauf",
    dryRunIntro:
      "Ein Probelauf zählt je Datenbestand und Regel, was die Löschung heute entfernen würde, und ändert nichts. Das Ergebnis steht im Löschprotokoll.",
    dryRunButton: "Probelauf starten",
    dryRunDone: (n: number, failed: number) =>
      `Probelauf beendet: ${n} Datensätze würden gelöscht${failed ? `; ${failed} Datenbestände konnten nicht gelesen werden` : ""}.`,
    evidenceLink: "Zum Löschprotokoll",
    units: {
      years: "Jahre",
      months: "Monate",
      weeks: "Wochen",
      days: "Tage",
      hours: "Stunden",
      minutes: "Minuten",
    },
    startEvents: {
      creation: "Entstehung",
      "end-of-session": "Ende der Sitzung",
      "ticket-closed": "Schließen des Tickets",
      "matter-closed": "Abschluss des Anliegens",
      "records-closed": "Schließen der Akte",
      "case-closed": "Abschluss des Vorgangs",
      "end-of-relationship": "Ende der Geschäftsbeziehung",
    },
    errors: {
      "invalid-period": "Bitte geben Sie eine ganze Zahl ab 1 und eine Einheit an.",
      "mixed-units":
        "Diese Frist wird in Kalendertagen gezählt; Stunden und Minuten oder das Aufrunden zum Jahresende passen nicht dazu.",
      "unit-kind-change":
        "Diese Frist wird nach der Uhr (Stunden, Minuten) gezählt und kann nicht in Kalendereinheiten umgestellt werden, und umgekehrt.",
      "below-legal-minimum": (reference: string) =>
        `Die Frist wäre kürzer als gesetzlich vorgeschrieben (${reference}). Die Regel bleibt unverändert.`,
      "above-legal-maximum": (reference: string) =>
        `Die Frist wäre länger als gesetzlich erlaubt (${reference}). Die Regel bleibt unverändert.`,
      "unknown-rule": "Diese Regel gibt es nicht.",
    },
  },
  evidence: {
    title: "Löschprotokoll",
    intro:
      "Jeder Löschlauf hält je Datenbestand und Regel fest, wie viele Datensätze gelöscht wurden, wie viele wegen einer Sperre (Einschränkung der Verarbeitung) oder eines ausstehenden Archivangebots stehen blieben, welcher Zeitraum betroffen war und wie der Lauf endete. Probeläufe zählen nur und löschen nichts.",
    chartTitle: "Gelöschte Datensätze je Tag",
    chartDescription: (days: number, total: number) =>
      `Gelöschte Datensätze an den ${days} Tagen mit Löschläufen der letzten 90 Tage, zusammen ${total}.`,
    byStoreTitle: "Gelöschte Datensätze je Datenbestand (letzte 90 Tage)",
    byStoreDescription: (stores: number, total: number) =>
      `${total} gelöschte Datensätze in ${stores} Datenbeständen.`,
    day: "Tag",
    store: "Datenbestand",
    deletedCount: "Gelöscht",
    noDeletions: "In den letzten 90 Tagen wurde nichts gelöscht.",
    runsTitle: "Nachweise der letzten Läufe",
    none: "Es gibt noch keine Löschläufe.",
    started: "Beginn",
    finished: "Ende",
    rule: "Regel",
    deleted: "Gelöscht",
    wouldDelete: "Würde löschen",
    held: "Gesperrt",
    pendingArchive: "Archivangebot offen",
    malformed: "Unlesbar",
    affected: "Betroffener Zeitraum",
    outcome: "Ergebnis",
    remark: "Hinweis",
    run: "Lauf",
    dryRun: "Probelauf",
    triggers: textsOf<SweepTrigger>({ schedule: "täglich geplant", manual: "von Hand" }),
    outcomes: textsOf<SweepOutcome>({
      done: "abgeschlossen",
      partial: "mit Hinweis",
      failed: "fehlgeschlagen",
      running: "läuft",
    }),
    stores: textsOf({ portal: "Rechteportal", "portal-audit": "Prüfpfad des Rechteportals" }),
    auditTitle: "Prüfpfad",
    auditDeleted: (deleted: number, gaps: number) =>
      deleted === 0
        ? "Aus dem Prüfpfad wurde noch nichts gelöscht."
        : `${deleted} abgelaufene Einträge wurden aus dem Prüfpfad gelöscht, in ${gaps} aufgezeichneten und signierten Lücken; die Kette bleibt über die Lücken hinweg prüfbar.`,
    auditCheckpoint: (at: string | null) =>
      at ? `Letzter signierter Prüfpunkt: ${at}.` : "Noch kein signierter Prüfpunkt.",
  },
};
