import type { StaffChannel } from "../core/channels";
import type {
  IdentityCheckHow,
  IdentityCheckResultKind,
  IdentityDocumentKind,
} from "../core/identity-checks";
import { textsOf } from "./texts";
/**
 * Texts of the statute's paths (§§ 21, 22 ThürDSG, Art. 12(6) DS-GVO): the person's demand that the
 * TLfDI check a restricted answer (§ 21(5)), the DPO's decision per store (§ 21(2)), the identity
 * check whose documents are deleted afterwards, and findings kept beyond their store's period.
 */
export const statutoryDe = {
  demand: {
    title: "Prüfung durch die Aufsichtsbehörde verlangen",
    intro:
      "Wir haben Ihnen die Auskunft nicht vollständig erteilt. Sie können verlangen, dass wir die Auskunft stattdessen der Aufsichtsbehörde erteilen, dem Thüringer Landesbeauftragten für den Datenschutz und die Informationsfreiheit (TLfDI). Die Aufsichtsbehörde prüft dann, ob wir die Auskunft zu Recht beschränkt haben (§ 21 Abs. 5 ThürDSG). Das kostet Sie nichts.",
    confirm:
      "Ich verlange, dass die Auskunft, die mir nicht erteilt wurde, der Aufsichtsbehörde erteilt wird.",
    submit: "Prüfung verlangen",
    done: "Ihr Verlangen ist eingegangen. Wir haben Ihnen eine Bestätigung geschickt.",
    demanded: (date: string) =>
      `Sie haben am ${date} verlangt, dass wir die Auskunft der Aufsichtsbehörde erteilen. Die Unterlagen für die Aufsichtsbehörde sind erstellt; wir teilen Ihnen mit, wann wir sie übergeben haben.`,
    handedOver: (date: string) =>
      `Sie haben die Prüfung durch die Aufsichtsbehörde verlangt. Wir haben ihr die Auskunft am ${date} erteilt. Über das Ergebnis ihrer Prüfung unterrichtet die Aufsichtsbehörde Sie selbst.`,
    errors: textsOf({
      confirm: "Bitte bestätigen Sie, dass Sie die Prüfung durch die Aufsichtsbehörde verlangen.",
      "not-offered":
        "In diesem Vorgang kann keine Prüfung nach § 21 Abs. 5 ThürDSG verlangt werden: Die Auskunft wurde nicht beschränkt.",
      "already-demanded":
        "Sie haben die Prüfung durch die Aufsichtsbehörde für diese Auskunft bereits verlangt.",
    }),
    mail: {
      subject: (reference: string) => `Ihr Verlangen nach § 21 Abs. 5 ThürDSG – Vorgang ${reference}`,
      body: (reference: string, date: string) =>
        `Guten Tag,\n\nSie haben am ${date} verlangt, dass wir die Auskunft, die wir Ihnen im Vorgang ${reference} nicht oder nicht vollständig erteilt haben, der Aufsichtsbehörde erteilen (§ 21 Abs. 5 ThürDSG).\n\nWir haben die Unterlagen für den Thüringer Landesbeauftragten für den Datenschutz und die Informationsfreiheit erstellt und übergeben sie ihm. Sobald das geschehen ist, teilen wir es Ihnen mit. Über das Ergebnis ihrer Prüfung unterrichtet die Aufsichtsbehörde Sie selbst.\n\nMit freundlichen Grüßen\nThüringer Landesrechenzentrum – Datenschutz`,
      handedOverSubject: (reference: string) =>
        `Auskunft an die Aufsichtsbehörde übergeben – Vorgang ${reference}`,
      handedOverBody: (reference: string, date: string) =>
        `Guten Tag,\n\nwie von Ihnen verlangt, haben wir die Auskunft aus dem Vorgang ${reference} am ${date} dem Thüringer Landesbeauftragten für den Datenschutz und die Informationsfreiheit erteilt (§ 21 Abs. 5 ThürDSG). Über das Ergebnis ihrer Prüfung unterrichtet die Aufsichtsbehörde Sie selbst.\n\nMit freundlichen Grüßen\nThüringer Landesrechenzentrum – Datenschutz`,
    },
    /** Who produced the record, in the record itself. */
    producedBy: "dem Rechteportal auf Verlangen der betroffenen Person (§ 21 Abs. 5 ThürDSG)",
  },

  task: {
    title: "Aufgaben",
    demand: (date: string) =>
      `Die Person hat am ${date} verlangt, dass die ihr nicht erteilte Auskunft der Aufsichtsbehörde erteilt wird (§ 21 Abs. 5 ThürDSG). Den Nachweis hat das Portal dabei erstellt. Bitte übergeben Sie ihn dem TLfDI und halten Sie die Übergabe hier fest; die Person erfährt es.`,
    download: "Nachweis vom Verlangen herunterladen (PDF)",
    handedOverOn: "Übergeben am",
    note: "Wie übergeben (Übermittlungsweg, Aktenzeichen des TLfDI)",
    submit: "Übergabe festhalten",
    done: (date: string, by: string, note: string) => `Dem TLfDI übergeben am ${date} von ${by}: ${note}`,
    recordTitle: "Verlangen per Brief oder E-Mail erfassen",
    recordIntro:
      "Die Auskunft wurde nach § 21 ThürDSG beschränkt. Hat die Person per Brief, E-Mail oder auf anderem Weg verlangt, dass die Aufsichtsbehörde die Auskunft erhält, erfassen Sie es hier: Der Nachweis wird erstellt und die Person erhält die Bestätigung.",
    channel: "Eingegangen per",
    channels: textsOf<StaffChannel>({
      letter: "Brief",
      email: "E-Mail",
      fax: "Fax",
      phone: "Telefon",
      "in-person": "persönlich",
    }),
    recordSubmit: "Verlangen erfassen",
    errors: textsOf({
      channel: "Bitte wählen Sie, wie das Verlangen eingegangen ist.",
      "not-offered": "In diesem Vorgang wurde die Auskunft nicht nach § 21 ThürDSG beschränkt.",
      "already-demanded": "Für diese Auskunft ist das Verlangen bereits erfasst.",
      "unknown-demand": "Dieses Verlangen gehört nicht zu diesem Vorgang.",
      "already-handed-over": "Die Übergabe ist bereits festgehalten.",
      "bad-day": "Bitte geben Sie einen Tag an, der nicht in der Zukunft und nicht vor dem Verlangen liegt.",
      "note-required": "Bitte schreiben Sie, wie der Nachweis übergeben wurde (mindestens 5 Zeichen).",
    }),
  },

  stores: {
    title: "Auskunft je Datenbestand (§ 21 Abs. 2 ThürDSG)",
    intro:
      "Für jeden Datenbestand des Vorgangs hält die oder der Datenschutzbeauftragte begründet fest, ob die Daten nur wegen gesetzlicher oder satzungsmäßiger Aufbewahrungsvorschriften oder nur zur Datensicherung oder Datenschutzkontrolle gespeichert sind und die Auskunft einen unverhältnismäßigen Aufwand erfordern würde. Dann wird aus diesem Bestand keine Auskunft erteilt.",
    store: "Datenbestand",
    decision: "Entscheidung",
    reasoning: "Begründung",
    decidedBy: "Entschieden von / am",
    undecided: "noch nicht entschieden",
    applies: "§ 21 Abs. 2 greift: keine Auskunft",
    notApplies: "§ 21 Abs. 2 greift nicht: Auskunft",
    formTitle: "Entscheidung festhalten",
    choice: "Greift § 21 Abs. 2 ThürDSG?",
    yes: "Ja: nur aus Aufbewahrungspflicht oder zur Datensicherung/Datenschutzkontrolle gespeichert, Auskunft unverhältnismäßig",
    no: "Nein: Auskunft aus diesem Bestand",
    reasoningHint: "Für die Akte und die Aufsichtsbehörde; die Person liest diesen Text nicht.",
    submit: "Entscheidung festhalten",
    recordTitle: "Entscheidungen je Datenbestand (§ 21 Abs. 2 ThürDSG)",
    errors: textsOf({
      "unknown-store": "Dieser Datenbestand wurde in diesem Vorgang nicht durchsucht.",
      "reasoning-required": "Bitte begründen Sie die Entscheidung (mindestens 20 Zeichen).",
      "not-permitted": "Diese Entscheidung trifft die oder der Datenschutzbeauftragte.",
    }),
  },

  identity: {
    title: "Identitätsprüfung",
    intro:
      "Ein Ausweisdokument wird nur für die Prüfung angesehen; eine geschickte Kopie wird gelöscht, sobald die Prüfung festgehalten ist (Art. 12 Abs. 6 DS-GVO). Festgehalten wird, wer wann welches Dokument geprüft hat und mit welchem Ergebnis – von der Ausweisnummer nur die letzten vier Zeichen, nie das Dokument.",
    formTitle: "Prüfung festhalten",
    how: "Wie wurde das Dokument vorgelegt?",
    hows: textsOf<IdentityCheckHow>({
      "in-person": "persönlich vorgezeigt (keine Kopie)",
      copy: "als Kopie geschickt (wird gelöscht)",
    }),
    documentKind: "Art des geprüften Dokuments",
    kinds: textsOf<IdentityDocumentKind>({
      "id-card": "Personalausweis",
      passport: "Reisepass",
      "residence-permit": "Aufenthaltstitel",
      "other-official": "anderes amtliches Dokument",
    }),
    numberTail: "Letzte vier Zeichen der Dokumentnummer",
    numberTailHint: "Nur Buchstaben und Ziffern, genau vier – nie die ganze Nummer.",
    result: "Ergebnis",
    results: textsOf<IdentityCheckResultKind>({
      confirmed: "Identität bestätigt",
      "not-confirmed": "Identität nicht bestätigt",
    }),
    documents: "Kopien unter den Unterlagen des Vorgangs, die geprüft wurden (werden gelöscht)",
    open: (fileName: string) => `${fileName} öffnen`,
    uploadedAt: (date: string, byPerson: boolean) =>
      `${byPerson ? "von der Person" : "von uns erfasst"} am ${date}`,
    reason: "Grund, falls nicht bestätigt, oder Vermerk (optional, ohne Ausweisnummer)",
    submit: "Prüfung festhalten",
    historyTitle: "Festgehaltene Prüfungen",
    checkedAt: "Zeitpunkt",
    checkedBy: "Geprüft von",
    tailShort: "Nummer endet auf",
    reasonShort: "Grund / Vermerk",
    message: (files: string, confirmed: boolean): string =>
      confirmed
        ? `Wir haben Ihre Angaben anhand des Ausweisdokuments geprüft, das Sie uns geschickt haben. Das Dokument haben wir danach gelöscht (${files}); wir halten nur fest, dass und wann wir geprüft haben.`
        : `Wir konnten Ihre Identität anhand des Ausweisdokuments, das Sie uns geschickt haben, nicht bestätigen. Das Dokument haben wir gelöscht (${files}). Bitte wenden Sie sich an uns, wenn Sie Ihre Identität auf anderem Weg nachweisen möchten.`,
    messageNoFiles: (confirmed: boolean): string =>
      confirmed
        ? "Wir haben Ihre Angaben anhand Ihres Ausweises geprüft. Eine Kopie haben wir nicht angefertigt; wir halten nur fest, dass und wann wir geprüft haben."
        : "Wir konnten Ihre Identität anhand des vorgelegten Ausweises nicht bestätigen. Eine Kopie haben wir nicht angefertigt. Bitte wenden Sie sich an uns, wenn Sie Ihre Identität auf anderem Weg nachweisen möchten.",
    errors: textsOf({
      "unknown-document": "Dieses Dokument gehört nicht zu diesem Vorgang.",
      "nothing-checked": "Bitte wählen Sie die Kopien, die Sie geprüft haben.",
      "number-tail":
        "Bitte geben Sie genau die letzten vier Zeichen der Dokumentnummer ein, nur Buchstaben und Ziffern.",
      how: "Bitte wählen Sie, wie das Dokument vorgelegt wurde.",
      "document-kind": "Bitte wählen Sie die Art des geprüften Dokuments.",
      result: "Bitte wählen Sie das Ergebnis der Prüfung.",
      invalid: "Bitte wählen Sie, wie das Dokument vorgelegt wurde, seine Art und das Ergebnis.",
    }),
    fileErrors: textsOf({
      missing: "Die Datei dieses Dokuments fehlt auf dem Server. Bitte melden Sie das dem Betrieb.",
      damaged:
        "Die Datei dieses Dokuments ist beschädigt: Ihr Inhalt stimmt nicht mit dem gespeicherten Prüfwert überein. Bitte melden Sie das dem Betrieb.",
      "unknown-document": "Dieses Dokument gibt es in diesem Vorgang nicht (mehr).",
    }),
  },

  overdue: {
    badge: (date: string) => `Löschfrist abgelaufen seit ${date}`,
    held: "gesperrt (Sperrvermerk im Bestand)",
    caseTitle: "Funde über der Löschfrist",
    caseIntro: (n: number) =>
      `${n === 1 ? "Ein Fund ist" : `${n} Funde sind`} älter als die Speicherfrist ${n === 1 ? "seines" : "ihres"} Datenbestands: Im Bestand ${n === 1 ? "hätte er" : "hätten sie"} gelöscht sein müssen. Bitte die Löschung veranlassen und prüfen, dass das Antwortschreiben zur Speicherdauer nichts anderes sagt, als die Daten zeigen.`,
    store: "Datenbestand",
    ref: "Kennung",
    recordedAt: "Erfasst am",
    rule: "Regel",
    dueSince: "Zu löschen seit",
    more: (n: number) => `… und ${n} weitere`,
    retentionTitle: "Funde über der Löschfrist in offenen Vorgängen",
    retentionIntro:
      "Funde, die Vorgänge bei ihrer Suche in den Datenbeständen gefunden haben und die älter sind als die Speicherfrist ihres Bestands: Dort hätten sie gelöscht sein müssen. Ein gesperrter Datensatz (Sperrvermerk) wird nicht gelöscht.",
    noneOverdue: "In offenen Vorgängen gibt es keine Funde über der Löschfrist.",
    count: "Funde",
    oldest: "Ältester zu löschen seit",
    cases: "Vorgänge",
    figure: "Funde über der Löschfrist (offene Vorgänge)",
  },
};
