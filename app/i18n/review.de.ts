import type { IdentifierKind } from "../core/identifier-kinds";
import type { StoreJobState } from "../core/review-states";
import type { EvidenceKind } from "../server/review/identifier-evidence";
import { textsOf } from "./texts";
/**
 * Texts of the review on the staff case page: what a decision is about to decide, what it would
 * change, why a decision was refused, the search that must be complete, confirming identifiers.
 */
export const reviewDe = {
  panel: {
    /** Before the page's script runs (and without it): the count is not known in the browser. */
    applyTicked: "Entscheidung für die ausgewählten Treffer speichern",
    applyCount: (n: string) =>
      n === "1"
        ? "Entscheidung für 1 ausgewählten Treffer speichern"
        : `Entscheidung für ${n} ausgewählte Treffer speichern`,
    applyGroup: (n: string) => `Entscheidung für alle ${n} Treffer der Gruppe speichern`,
    aboutTicked: (n: string) =>
      n === "1"
        ? "Diese Entscheidung gilt für 1 ausgewählten Treffer."
        : `Diese Entscheidung gilt für ${n} ausgewählte Treffer.`,
    aboutGroup: (n: string, filter: string | null) =>
      filter
        ? `Diese Entscheidung gilt für alle ${n} Treffer mit ${filter}.`
        : `Diese Entscheidung gilt für alle ${n} Treffer des Vorgangs.`,
    noneTicked: "Noch kein Treffer ausgewählt.",
    /** The legend of the three choices (release, withhold, redact). */
    choice: "Was mit den Treffern geschieht",
  },
  confirm: {
    title: "Bitte bestätigen – noch nichts gespeichert",
    changes: (n: string) =>
      n === "1"
        ? "1 der gewählten Treffer ist schon entschieden. Die neue Entscheidung würde diese Entscheidung ändern:"
        : `${n} der gewählten Treffer sind schon entschieden. Die neue Entscheidung würde diese Entscheidungen ändern:`,
    unproven: (n: string) =>
      n === "1"
        ? "1 Treffer passt nur über ein Suchmerkmal, das die Person nicht bestätigt hat. Er wird nur herausgegeben, wenn Sie gesondert bestätigen, dass er die Person betrifft."
        : `${n} Treffer passen nur über Suchmerkmale, die die Person nicht bestätigt hat. Sie werden nur herausgegeben, wenn Sie gesondert bestätigen, dass sie die Person betreffen.`,
    unprovenCheck: (n: string) =>
      n === "1"
        ? "Ich habe geprüft: Dieser 1 unbestätigte Treffer betrifft die Person und darf herausgegeben werden."
        : `Ich habe geprüft: Diese ${n} unbestätigten Treffer betreffen die Person und dürfen herausgegeben werden.`,
    newDecision: (decision: string) => `Neue Entscheidung: ${decision}`,
    submit: "Bestätigen und speichern",
    cancel: "Abbrechen, nichts speichern",
    unprovenRequired:
      "Bitte bestätigen Sie, dass Sie die unbestätigten Treffer geprüft haben – oder brechen Sie ab.",
    listed: (total: string, listed: string) =>
      total === listed ? `${total} Treffer` : `${total} Treffer, die ersten ${listed} aufgeführt`,
  },
  difference: {
    notShown: (n: string) =>
      n === "1"
        ? "1 gesendeter Treffer war nicht auf der Seite, von der aus entschieden wurde. Es wurde nichts gespeichert."
        : `${n} gesendete Treffer waren nicht auf der Seite, von der aus entschieden wurde. Es wurde nichts gespeichert.`,
    changedSinceShown: (n: string) =>
      n === "1"
        ? "1 Treffer wurde entschieden, seit die Seite geladen wurde. Es wurde nichts gespeichert. Bitte laden Sie die Seite neu und prüfen Sie die Auswahl."
        : `${n} Treffer wurden entschieden, seit die Seite geladen wurde. Es wurde nichts gespeichert. Bitte laden Sie die Seite neu und prüfen Sie die Auswahl.`,
    groupChanged: (shown: string, now: string, decided: string) =>
      `Die Gruppe hat sich geändert, seit die Seite geladen wurde: gezeigt ${shown} Treffer, jetzt ${now}; seitdem entschieden: ${decided}. Es wurde nichts gespeichert.`,
    reload: "Seite neu laden",
    record: "Treffer",
    shown: "Auf der Seite",
    now: "Jetzt",
    decidedBy: "Entschieden von",
    undecided: "offen",
    unprovenMark: "nur über ein unbestätigtes Suchmerkmal",
  },
  errors: textsOf({
    "not-shown":
      "Entschieden wurde über Treffer, die die Seite nicht gezeigt hat. Es wurde nichts gespeichert.",
    "changed-since-shown":
      "Treffer wurden entschieden, seit die Seite geladen wurde. Es wurde nichts gespeichert.",
    "confirmation-needed": "Die Entscheidung braucht Ihre Bestätigung. Es wurde noch nichts gespeichert.",
    "own-decisions":
      "Sie haben in dieser Prüfung selbst Treffer entschieden. Freigeben muss eine andere Person (Vier-Augen-Prinzip).",
    "stores-unsearched":
      "Nicht alle Datenquellen wurden vollständig durchsucht. Ohne Suche wird nicht geprüft, vorgelegt, freigegeben oder beantwortet – es sei denn, die oder der Datenschutzbeauftragte begründet es.",
    "gathering-running":
      "Die Suche läuft noch. Eine Begründung, ohne eine Datenquelle zu antworten, ist erst möglich, wenn sie beendet ist.",
    "nothing-unsearched": "Alle Datenquellen wurden vollständig durchsucht; es gibt nichts zu begründen.",
    "unknown-identifier": "Dieses Suchmerkmal gibt es in diesem Vorgang nicht, oder es ist schon bestätigt.",
  }),
  search: {
    title: "Nicht alle Datenquellen durchsucht",
    blocking:
      "Diese Datenquellen wurden nicht vollständig durchsucht. Solange das so ist, wird der Vorgang weder geprüft noch vorgelegt, freigegeben oder beantwortet. Versuchen Sie die Suche erneut.",
    status: textsOf<StoreJobState>({
      queued: "wartet",
      running: "läuft",
      failed: "fehlgeschlagen",
      done: "nur teilweise durchsucht",
    }),
    onlyDpo:
      "Ohne diese Datenquellen zu antworten, kann nur die oder der Datenschutzbeauftragte mit einer Begründung entscheiden.",
    reasonLabel: "Begründung, ohne diese Datenquellen zu antworten",
    reasonHint:
      "Wird mit Ihrem Namen im Verlauf gespeichert. Das Antwortschreiben nennt der Person die nicht durchsuchten Datenquellen.",
    reasonSubmit: "Begründen und ohne diese Datenquellen antworten",
    recorded: (name: string, when: string, stores: string, reason: string) =>
      `${name} hat am ${when} begründet, ohne ${stores} zu antworten: „${reason}“. Das Antwortschreiben nennt diese Datenquellen als nicht durchsucht.`,
  },
  identifiers: {
    kinds: textsOf<IdentifierKind>({
      email: "E-Mail-Adresse",
      name: "Name",
      phone: "Telefonnummer",
      "user-name": "Benutzername",
      ip: "IP-Adresse",
      "birth-date": "Geburtsdatum",
      "postal-address": "Anschrift",
    }),
    proven: "bestätigt",
    unproven: "nicht bestätigt",
    confirm: "Bestätigen, mit Nachweis",
    evidenceKind: "Nachweis",
    evidenceKinds: textsOf<EvidenceKind>({
      "id-document": "Ausweisdokument vorgelegt",
      contract: "Vertrag oder Kundenkonto der Person",
      "provider-record": "Nachweis des Anbieters (etwa Telefon- oder Anschlussrechnung)",
      "signed-letter": "Unterschriebene Erklärung der Person",
      other: "Anderer Nachweis",
    }),
    evidence: "Was genau wurde geprüft?",
    evidenceHint:
      "Mindestens 10 Zeichen, etwa „Rechnung vom März 2026 gesehen, Anschlussinhaberin ist die Person“. Wird im Verlauf gespeichert.",
    submit: "Suchmerkmal bestätigen",
    unprovenNote:
      "Treffer über nicht bestätigte Suchmerkmale werden nur mit gesonderter Bestätigung herausgegeben. Eine E-Mail-Adresse bestätigt die Person selbst mit einem Code auf ihrer Vorgangsseite; andere Suchmerkmale bestätigen Sie hier mit dem Nachweis, den Sie gesehen haben. Treffer, die nur über das bestätigte Suchmerkmal passten, gelten sofort als bestätigt; alle übrigen findet eine neue Sammlung („Erneut sammeln (neue Fassung)“).",
  },
  approval: {
    ownDecisions:
      "Sie haben in dieser Prüfung selbst Treffer entschieden. Freigeben muss eine andere Person, die freigeben darf (Vier-Augen-Prinzip).",
  },
  /** On the person's case page, beside identifiers no code can reach. */
  person: {
    otherProof:
      "Dieses Suchmerkmal können Sie nicht mit einem Code bestätigen. Treffer darüber geben wir erst heraus, wenn es bestätigt ist: Schicken Sie uns dazu unten einen Nachweis (etwa eine Rechnung Ihres Telefonanbieters oder eine Kopie Ihres Ausweises, auf der Sie alles außer Name und Anschrift schwärzen dürfen), oder sprechen Sie mit uns.",
    /** To a representative (ADR 0011, 0019): the evidence is the represented person's, with the authority beside it. */
    otherProofRepresented: (person: string | null) =>
      `Dieses Suchmerkmal kann nicht mit einem Code bestätigt werden. Treffer darüber geben wir erst heraus, wenn feststeht, dass es ${person ? `zu ${person}` : "zu der Person, die Sie vertreten,"} gehört: Schicken Sie uns dazu unten einen Nachweis dieser Person (etwa eine Rechnung ihres Telefonanbieters oder eine Kopie ihres Ausweises, auf der Sie alles außer Name und Anschrift schwärzen dürfen) und, falls noch nicht geschehen, den Nachweis Ihrer Vertretungsmacht – die Vollmacht, für ein Kind die Geburtsurkunde oder den Nachweis des Sorgerechts, als Betreuerin oder Betreuer den Betreuerausweis –, oder sprechen Sie mit uns.`,
  },
};
