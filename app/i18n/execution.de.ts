import type {
  ArchiveDecision,
  Art19ActionKind,
  ExecutionPageError,
  FindingActionStatus,
  ProposalKind,
} from "../core/finding-actions";
import { textsOf } from "./texts";

/** Texts of carrying out erasure, restriction, rectification, objection and Art. 19 notices. */
export const executionDe = {
  title: "Umsetzung",
  back: "Zurück zum Vorgang",
  intro:
    "Hier schlagen Sie vor, was mit den gefundenen Daten geschieht: löschen, einschränken, berichtigen. Eine andere Person mit Freigaberecht gibt jeden Vorschlag frei; erst dann wird er in den Systemen ausgeführt.",
  noGathering: "Für diesen Vorgang wurden noch keine Daten gesucht.",
  findings: "Gefundene Daten (letzte Suche)",
  record: "Datensatz",
  assessmentHeading: "Löschung möglich?",
  actionsHeading: "Maßnahmen",
  select: "Auswählen",
  none: "keine",
  actions: textsOf<ProposalKind>({
    erase: "Löschen",
    restrict: "Einschränken (Sperre)",
    "restrict-instead": "Statt Löschen einschränken (§ 22 ThürDSG)",
    "lift-restriction": "Einschränkung aufheben",
    rectify: "Berichtigen",
  }),
  statuses: textsOf<FindingActionStatus>({
    proposed: "vorgeschlagen",
    returned: "zurückgegeben",
    approved: "freigegeben, wird ausgeführt",
    done: "ausgeführt",
    refused: "abgelehnt",
    deferred: "zurückgestellt",
    "archive-offer": "wartet auf das Staatsarchiv",
    failed: "fehlgeschlagen",
  }),
  assessment: {
    eraseNow: "Kann jetzt gelöscht werden.",
    retentionDuty: (reference: string, due: string) =>
      `Nein – Aufbewahrungspflicht (Art. 17 Abs. 3 Buchst. b DS-GVO; ${reference}). Löschung fällig am ${due}.`,
    periodNotStarted: (reference: string) =>
      `Nein – die Aufbewahrungsfrist beginnt erst mit dem Abschluss des Vorgangs (Art. 17 Abs. 3 Buchst. b DS-GVO; ${reference}).`,
    archiveOffer: (reference: string) =>
      `Erst nach Angebot an das Staatsarchiv und dessen Entscheidung (${reference}).`,
  },
  by: (name: string) => `von ${name}`,
  dueOn: (date: string) => `fällig am ${date}`,
  executedOn: (date: string) => `ausgeführt am ${date}`,
  propose: "Vorschlagen",
  proposeHeading: "Maßnahme für die ausgewählten Daten vorschlagen",
  section22: {
    groundLabel: "Grund nach § 22 ThürDSG (nur für „Statt Löschen einschränken“)",
    choose: "– bitte wählen –",
    grounds: {
      "impossible-storage": "Löschung wegen der besonderen Art der Speicherung nicht möglich",
      disproportionate:
        "Löschung wegen der besonderen Art der Speicherung nur mit unverhältnismäßig hohem Aufwand möglich",
      "person-interest": "Löschung würde schutzwürdige Interessen der Person beeinträchtigen",
    },
    shown: (ground: string) => `statt Löschung, § 22 ThürDSG: ${ground}`,
  },
  action: "Maßnahme",
  rectifyHeading: "Berichtigung vorschlagen",
  rectifyTarget: "Datensatz und Feld",
  rectifyTargetHint:
    "Je Datensatz stehen die Felder zur Wahl, die das System ändern kann. Erlaubt es keine Änderung, ergänzen Sie die Daten um eine Erklärung.",
  rectifyCurrent: (label: string, value: string) => `${label} (bisher: ${value})`,
  rectifyStatementOnly: "keine Änderung im System, nur eine ergänzende Erklärung",
  rectifyValue: "Richtiger Wert",
  statement: "Ergänzende Erklärung (wenn das System die Änderung nicht erlaubt)",
  personAsked: "Angaben der Person",
  approveHeading: "Vorschläge freigeben (Vier-Augen-Prinzip)",
  approve: "Ausgewählte Vorschläge freigeben",
  noProposals: "Keine offenen Vorschläge.",
  openProposals: "Offene Vorschläge",
  sendBack: {
    legend: "Oder zurückgeben, statt freizugeben",
    comment: "Hinweis für die Sachbearbeitung",
    commentHint:
      "Mindestens 10 Zeichen: was zu ändern oder zu prüfen ist. Die Sachbearbeitung liest den Hinweis auf dieser Seite.",
    submit: "Ausgewählte Vorschläge zurückgeben",
  },
  returned: {
    heading: "Zurückgegebene Vorschläge",
    intro:
      "Diese Vorschläge wurden nicht freigegeben, sondern mit einem Hinweis zurückgegeben; aus ihnen wird nichts ausgeführt. Schlagen Sie die Maßnahme unten erneut vor – geändert oder unverändert. Den neuen Vorschlag gibt wieder eine andere Person mit Freigaberecht frei.",
    sentBackBy: (name: string, date: string) => `zurückgegeben von ${name} am ${date}`,
    comment: "Hinweis",
    proposedAgain: "Inzwischen erneut vorgeschlagen.",
    notYetProposedAgain: "Noch nicht erneut vorgeschlagen.",
  },
  decisionsHeading: "Widerspruch und Widerruf je Verarbeitung",
  objection: "Widerspruch (Art. 21 DS-GVO)",
  withdrawal: "Widerruf der Einwilligung (Art. 7 Abs. 3 DS-GVO)",
  activity: "Verarbeitung",
  outcome: "Entscheidung",
  outcomes: { upheld: "stattgegeben", rejected: "abgelehnt" },
  reasoning: "Begründung",
  objectionImpossible:
    "Für diese Verarbeitung ist kein Widerspruch möglich. Die Ablehnung muss trotzdem begründet werden.",
  decide: "Entscheidung speichern",
  decidedBy: (name: string, date: string) => `entschieden von ${name} am ${date}`,
  effect: (erase: number, restrict: number, later: number) =>
    `Folge: ${erase} gelöscht, ${restrict} eingeschränkt, ${later} später zu löschen`,
  archive: {
    heading: "Angebot an das Staatsarchiv (§ 23 ThürDSG)",
    intro:
      "Diese Löschungen sind freigegeben, warten aber auf das Staatsarchiv: Die Unterlagen sind ihm vor der Löschung anzubieten. Tragen Sie seine Antwort ein. Danach werden die Unterlagen bei uns gelöscht – auch wenn das Archiv sie übernommen hat, denn dann verwahrt es sie.",
    approvedOn: (date: string) => `Löschung freigegeben am ${date}`,
    decision: "Antwort des Archivs",
    decisions: textsOf<ArchiveDecision>({
      "not-archival": "Nicht archivwürdig: Das Archiv übernimmt die Unterlagen nicht.",
      transferred: "Das Archiv hat die Unterlagen übernommen.",
    }),
    answeredOn: "Datum der Antwort des Archivs",
    answeredOnHint: (from: string, to: string) => `Frühestens ${from}, spätestens ${to} (heute).`,
    note: "Aktenzeichen des Archivs oder Vermerk (freiwillig)",
    submit: "Antwort eintragen und Löschung ausführen",
    recorded: textsOf<ArchiveDecision>({
      "not-archival": "Staatsarchiv: nicht archivwürdig",
      transferred: "Staatsarchiv: übernommen",
    }),
    answerOf: (date: string) => `Antwort vom ${date}`,
    onlyWithPermission: "Die Antwort des Archivs tragen Beschäftigte ein, die Löschungen vorschlagen dürfen.",
  },
  failed: {
    heading: "Nicht bestätigte Maßnahmen",
    intro:
      "Diese Maßnahmen hat das System nicht bestätigt, als es danach erneut gelesen wurde. Die Person und die Empfänger erfahren davon erst, wenn das System sie bestätigt. Führen Sie sie erneut aus, wenn die Ursache behoben ist, oder führen Sie sie im System von Hand aus und tragen Sie das hier ein.",
    reason: "Grund",
    attempted: (date: string) => `zuletzt versucht am ${date}`,
    retryLegend: "Erneut im System ausführen",
    retry: "Ausgewählte erneut ausführen",
    resolveLegend: (record: string) => `Von Hand ausgeführt: ${record}`,
    note: "Was haben Sie im System getan?",
    noteHint:
      "Mindestens 10 Zeichen, z. B. Werkzeug, Ticketnummer, Datei. Das Portal liest den Datensatz danach erneut und vermerkt die Maßnahme nur als ausgeführt, wenn das System es bestätigt.",
    resolve: "Als von Hand ausgeführt eintragen",
    onlyWithPermission:
      "Erneut ausführen oder von Hand erledigen dürfen Beschäftigte, die Maßnahmen vorschlagen dürfen.",
    storeSays: "Das System meldet:",
  },
  resolvedBy: (name: string, date: string) => `von Hand ausgeführt von ${name} am ${date}`,
  notificationsHeading: "Empfänger informiert (Art. 19 DS-GVO)",
  recipient: "Empfänger",
  sentAt: "Zeitpunkt",
  omitted: (reason: string) => `nicht informiert: ${reason}`,
  noRecipientAddress: "Für diesen Empfänger ist keine Anschrift hinterlegt.",
  noNotifications: "Noch keine Benachrichtigungen.",
  recipientsHeading: "Empfänger der Daten je Verarbeitung",
  saved: "Gespeichert.",
  errors: textsOf<ExecutionPageError>({
    invalid: "Die Eingabe war unvollständig oder fehlerhaft.",
    "no-gathering": "Für diesen Vorgang gibt es noch keine Suche.",
    "foreign-finding": "Mindestens ein Datensatz gehört nicht zu diesem Vorgang.",
    "foreign-action": "Mindestens ein Vorschlag gehört nicht zu diesem Vorgang.",
    "already-open": "Für mindestens einen Datensatz ist diese Maßnahme schon vorgeschlagen oder erledigt.",
    "kind-not-requested": "Die Person hat diese Maßnahme nicht beantragt.",
    "section-22-ground-required":
      "Bitte wählen Sie den Grund nach § 22 ThürDSG, aus dem statt der Löschung eingeschränkt wird.",
    "section-22-not-erasure":
      "Einschränken statt Löschen (§ 22 ThürDSG) ist nur bei einem Antrag auf Löschung möglich.",
    "not-permitted": "Dafür fehlt Ihnen die Berechtigung.",
    "own-proposal": "Eigene Vorschläge kann nur eine andere Person freigeben oder zurückgeben.",
    "not-proposed": "Mindestens ein Vorschlag ist nicht mehr offen.",
    "comment-required":
      "Bitte schreiben Sie der Sachbearbeitung, warum Sie zurückgeben (mindestens 10 Zeichen).",
    "changes-required": "Bitte geben Sie Feld und richtigen Wert an.",
    "unknown-field":
      "Dieses Feld kann das System bei diesem Datensatz nicht ändern. Bitte wählen Sie ein angebotenes Feld.",
    "statement-required":
      "Das System erlaubt diese Änderung nicht: bitte eine ergänzende Erklärung angeben (mindestens 10 Zeichen).",
    "not-restricted": "Diese Daten sind in diesem Vorgang nicht eingeschränkt.",
    "reasoning-required": "Bitte begründen Sie die Entscheidung (mindestens 20 Zeichen).",
    "objection-not-applicable": "Für diese Verarbeitung kann einem Widerspruch nicht stattgegeben werden.",
    "not-consent-based": "Diese Verarbeitung beruht nicht auf einer Einwilligung.",
    "already-decided": "Darüber wurde schon entschieden.",
    "unknown-activity": "Diese Verarbeitung gibt es nicht.",
    "not-awaiting-archive": "Diese Löschung wartet nicht auf das Staatsarchiv.",
    "unknown-archive-decision": "Bitte wählen Sie, wie das Archiv geantwortet hat.",
    "archive-date-invalid": "Bitte geben Sie das Datum der Antwort des Archivs an.",
    "archive-date-future": "Das Datum der Antwort des Archivs darf nicht in der Zukunft liegen.",
    "archive-date-before-approval":
      "Das Archiv kann nicht vor der Freigabe der Löschung geantwortet haben. Bitte prüfen Sie das Datum.",
    "not-failed": "Diese Maßnahme ist nicht (mehr) fehlgeschlagen.",
    "note-required": "Bitte beschreiben Sie, was Sie im System getan haben (mindestens 10 Zeichen).",
    "store-disagrees":
      "Das System bestätigt die Maßnahme nicht: Der Datensatz ist noch so wie vorher. Nichts wurde als ausgeführt vermerkt.",
    "store-unavailable":
      "Das System konnte nicht gelesen werden; die Maßnahme bleibt offen. Nichts wurde als ausgeführt vermerkt.",
  }),
  mail: {
    confirmationSubject: (reference: string) => `Ihr Antrag ${reference}: was wir umgesetzt haben`,
    confirmationIntro: (reference: string) =>
      `zu Ihrem Antrag ${reference} teilen wir Ihnen mit, was wir mit Ihren Daten getan haben.`,
    greeting: "Guten Tag,",
    erased: "Gelöscht:",
    notErased: "Nicht oder noch nicht gelöscht:",
    restricted: "Eingeschränkt (nur noch gespeichert, nicht mehr genutzt):",
    restrictionLifted:
      "Einschränkung aufgehoben, wie wir es Ihnen vorher mitgeteilt haben (Art. 18 Abs. 3 DS-GVO):",
    section22Instead: (because: string) =>
      `Statt Ihre Daten zu löschen, haben wir ihre Verarbeitung eingeschränkt (§ 22 ThürDSG), weil ${because}. Die Daten werden nur noch gespeichert und für nichts anderes verwendet.`,
    section22Because: {
      "impossible-storage": "eine Löschung wegen der besonderen Art der Speicherung nicht möglich ist",
      disproportionate:
        "eine Löschung wegen der besonderen Art der Speicherung nur mit unverhältnismäßig hohem Aufwand möglich wäre",
      "person-interest": "eine Löschung Ihre schutzwürdigen Interessen beeinträchtigen würde",
    },
    rectified: "Berichtigt:",
    statementAdded: "Ergänzende Erklärung aufgenommen:",
    pending: "In Arbeit:",
    undecided: (n: number) =>
      `Zu ${n === 1 ? "einem weiteren Datensatz" : `${n.toLocaleString("de-DE")} weiteren Datensätzen`}, die wir zu Ihrer Person gefunden haben, ist die Löschung noch nicht entschieden oder noch nicht abgeschlossen. Wir schreiben Ihnen, sobald sie es ist; Ihr Antrag bleibt bis dahin offen.`,
    notErasedReview: "Nach der Prüfung Ihres Antrags nicht gelöscht:",
    reviewGroup: (activity: string, n: number, legalReference: string) =>
      `${activity}: ${n === 1 ? "einen Datensatz" : `${n.toLocaleString("de-DE")} Datensätze`} löschen wir nicht. Rechtsgrundlage: ${legalReference}.`,
    reviewReasons: (reasons: string) => `Begründung: ${reasons}`,
    /** § 21(4) ThürDSG: neither the ground nor the activity nor a count. */
    reviewOmitted: (authority: string) =>
      `Weitere Daten löschen wir nicht. Die tatsächlichen und rechtlichen Gründe dafür teilen wir Ihnen nicht mit, weil ihre Mitteilung den Zweck der Entscheidung gefährden würde (§ 21 Abs. 4 ThürDSG). Sie können verlangen, dass die Aufsichtsbehörde (${authority}) die Entscheidung prüft (§ 21 Abs. 5 ThürDSG).`,
    caseEnded: "Ihr Antrag ist damit abgeschlossen.",
    on: (date: string) => `am ${date}`,
    retentionDuty: (reference: string, due: string) =>
      `Wir müssen diese Daten noch aufbewahren (Art. 17 Abs. 3 Buchst. b DS-GVO; ${reference}). Wir löschen sie am ${due} ohne weiteren Antrag.`,
    periodNotStarted: (reference: string) =>
      `Wir müssen diese Daten aufbewahren, bis der Vorgang abgeschlossen ist, und danach für die vorgeschriebene Frist (Art. 17 Abs. 3 Buchst. b DS-GVO; ${reference}). Danach löschen wir sie.`,
    archiveOffer: `Diese Unterlagen müssen wir vor der Löschung dem zuständigen Staatsarchiv anbieten (§ 23 ThürDSG). Wir löschen sie, sobald das Archiv entschieden hat, oder geben sie an das Archiv ab.`,
    archiveTransferred: (date: string) =>
      `Das zuständige Staatsarchiv hat diese Unterlagen am ${date} übernommen (§ 23 ThürDSG) und verwahrt sie nun; bei uns sind sie gelöscht.`,
    recipientsTold:
      "Stellen, die diese Daten von uns erhalten haben, informieren wir darüber (Art. 19 DS-GVO). Auf Wunsch nennen wir Ihnen diese Stellen.",
    liftSubject: (reference: string) => `Ihr Antrag ${reference}: die Einschränkung wird aufgehoben`,
    liftBody: (reference: string, records: string) =>
      `zu Ihrem Antrag ${reference}: Der Grund für die Einschränkung der Verarbeitung folgender Daten ist entfallen. Wir heben die Einschränkung frühestens nach dieser Nachricht auf (Art. 18 Abs. 3 DS-GVO).\n\n${records}`,
    liftWithdrawnSubject: (reference: string) =>
      `Ihr Antrag ${reference}: die Einschränkung bleibt vorerst bestehen`,
    liftWithdrawnBody: (reference: string, records: string) =>
      `zu Ihrem Antrag ${reference}: Wir hatten Ihnen geschrieben, dass wir die Einschränkung der Verarbeitung folgender Daten aufheben. Das tun wir vorerst nicht. Die Einschränkung bleibt bestehen. Bevor wir sie aufheben, schreiben wir Ihnen wieder.\n\n${records}`,
    decisionSubject: (reference: string) =>
      `Ihr Antrag ${reference}: Entscheidung über Widerspruch oder Widerruf`,
    decisionBody: (reference: string, kind: string, activity: string, outcome: string, reasoning: string) =>
      `zu Ihrem Antrag ${reference} haben wir entschieden.\n\n${kind} – ${activity}: ${outcome}\n\nBegründung:\n${reasoning}`,
    signature: "Mit freundlichen Grüßen\nIhr Thüringer Landesrechenzentrum",
  },
  /** Art. 19 notices go to other bodies of the administration, in German. */
  notice: {
    subject: (reference: string) => `Mitteilung nach Art. 19 DS-GVO zum Vorgang ${reference}`,
    body: (recipient: string, reference: string, action: string, activity: string, records: string) =>
      `An: ${recipient}\n\nim Vorgang ${reference} hat das TLRZ auf Antrag der betroffenen Person folgende Daten der Verarbeitung „${activity}“ ${action}. ` +
      `Soweit Sie diese Daten von uns erhalten haben, bitten wir Sie, bei sich ebenso zu verfahren (Art. 19 Satz 1 DS-GVO). ` +
      `Die Daten selbst enthält diese Mitteilung nicht; die Bezeichnungen unten führen zu den Datensätzen.\n\n${records}\n\nMit freundlichen Grüßen\nThüringer Landesrechenzentrum, Datenschutz`,
    actions: textsOf<Art19ActionKind>({
      erase: "gelöscht",
      restrict: "in der Verarbeitung eingeschränkt",
      rectify: "berichtigt",
    }),
  },
};
