import type { DossierTimelineAction } from "../core/audit-actions";
import type { IdentifierKind } from "../core/identifier-kinds";
import { textsOf } from "./texts";
/** Texts of complaints to the supervisory authority and of the record for it (§ 21(5) ThürDSG). */
export const complaintsDe = {
  title: "Beschwerde bei der Aufsichtsbehörde",

  page: {
    title: (reference: string) => `Beschwerde zum Vorgang ${reference}`,
    intro: (authority: string) =>
      `Sie können sich bei ${authority} beschweren, wenn Sie meinen, dass wir mit Ihren Daten oder mit Ihrem Antrag nicht richtig umgegangen sind. Wir leiten Ihre Beschwerde unverändert weiter und schicken Ihnen eine Kopie. Sie können sich auch direkt an die Behörde wenden:`,
    text: "Worüber beschweren Sie sich?",
    textHint:
      "Beschreiben Sie in eigenen Worten, was Sie stört. Die Behörde erhält diesen Text so, wie Sie ihn schreiben.",
    files: "Anlagen (freiwillig)",
    filesHint: (count: number, megabytes: number) =>
      `Bis zu ${count} Dateien im Format PDF, PNG oder JPEG, zusammen höchstens ${megabytes} MB.`,
    caseFileLegend: "Darf die Behörde Ihre Vorgangsakte erhalten?",
    caseFileHint:
      "Die Vorgangsakte enthält Ihren Antrag, Ihre Angaben, den Verlauf, die Nachrichten und Ihre Dokumente zu diesem Vorgang. Ohne Ihre Zustimmung erhält die Behörde nur Ihre Beschwerde und Ihre Kontaktdaten.",
    caseFileYes: "Ja, die Vorgangsakte darf beigefügt werden.",
    caseFileNo: "Nein, nur meine Beschwerde weiterleiten.",
    submit: "Beschwerde weiterleiten",
    sent: "Ihre Beschwerde ist auf dem Weg zur Aufsichtsbehörde. Eine Kopie und eine Bestätigung erhalten Sie per E-Mail.",
    earlier: "Ihre Beschwerden zu diesem Vorgang",
    none: "Zu diesem Vorgang haben Sie noch keine Beschwerde weitergeleitet.",
    filedAt: "Eingereicht am",
    state: "Stand",
    queued: "wird gesendet",
    sentAt: (at: string) => `gesendet am ${at}`,
    failed: "Versand gestört – wir kümmern uns darum",
    caseFile: "Vorgangsakte",
    caseFileAttached: "beigefügt",
    caseFileNotAttached: "nicht beigefügt",
    back: "Zurück zum Vorgang",
    link: "Beschwerde bei der Aufsichtsbehörde einlegen",
    nextTitle: "Wie es weitergeht",
    next: (authority: string) =>
      `${authority} prüft Ihre Beschwerde und antwortet Ihnen direkt. Wir beantworten Ihre Beschwerde nicht und stellen dazu nichts zum Herunterladen bereit; Fragen zu Ihrer Beschwerde richten Sie bitte an die Behörde.`,
  },

  errors: {
    textRequired: "Bitte beschreiben Sie, worüber Sie sich beschweren.",
    textTooLong: (max: number) => `Der Text darf höchstens ${max} Zeichen lang sein.`,
    choiceRequired:
      "Bitte wählen Sie, ob die Behörde Ihre Vorgangsakte erhalten darf. Ohne diese Wahl senden wir nichts.",
    fileType: "Bitte fügen Sie nur Dateien im Format PDF, PNG oder JPEG an.",
    fileTooLarge: (megabytes: number) => `Die Anlagen sind zusammen größer als ${megabytes} MB.`,
    tooManyFiles: (count: number) => `Bitte fügen Sie höchstens ${count} Dateien an.`,
    rateLimited:
      "Sie haben in kurzer Zeit viele Beschwerden eingereicht. Bitte versuchen Sie es in einer Stunde erneut.",
    badForm:
      "Das Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
    documentUnreadable:
      "Ein Dokument Ihres Vorgangs kann derzeit nicht gelesen werden, deshalb können wir Ihre Vorgangsakte nicht mitsenden. Es wurde nichts gesendet. Wir kümmern uns darum; Sie können die Beschwerde auch ohne Vorgangsakte senden.",
  },

  /** The staff's forwarding of a complaint taken in from a letter (/intern/vorgaenge/:id/beschwerde). */
  takenIn: {
    title: (reference: string) => `Beschwerde weiterleiten – ${reference}`,
    link: "Beschwerde an die Aufsichtsbehörde weiterleiten",
    intro: (authority: string) =>
      `Diese Beschwerde ist nicht über das Portal eingegangen, sondern wurde hier aufgenommen. Prüfen Sie den Text, tragen Sie die Wahl der Person zur Vorgangsakte ein und bestätigen Sie die Weiterleitung. ${authority} erhält das Schreiben an die Behörde, die Anlagen unten und – nur mit Zustimmung der Person – die Vorgangsakte. Die Person erhält eine Kopie per E-Mail oder, ohne E-Mail-Adresse, als Brief über die Druckwarteschlange.`,
    text: "Die Beschwerde (Wortlaut oder Zusammenfassung des Schreibens)",
    textHint:
      "Die Behörde erhält diesen Text; maßgeblich ist das Schreiben selbst, das als Anlage beigefügt wird.",
    enclosures: "Anlagen: die Dokumente dieses Vorgangs (etwa der Scan des Schreibens)",
    noEnclosures: "Keine – die Behörde erhält nur den Text oben.",
    caseFileLegend: "Stimmt die Person im Schreiben zu, dass die Behörde die Vorgangsakte erhält?",
    caseFileHint:
      "Nur „Ja“, wenn das Schreiben es ausdrücklich sagt. Ohne Zustimmung erhält die Behörde nur die Beschwerde, die Anlagen und die Kontaktdaten.",
    caseFileYes: "Ja, das Schreiben stimmt ausdrücklich zu.",
    caseFileNo: "Nein, oder das Schreiben sagt nichts dazu.",
    submit: "Weiterleitung bestätigen",
    forwarded: (authority: string) =>
      `Die Beschwerde ist an ${authority} weitergeleitet; der Vorgang ist damit abgeschlossen. Die Aufsichtsbehörde prüft sie und antwortet der Person direkt – nicht wir. Eine Antwort von uns ist nicht geschuldet.`,
    /** Queued, not yet accepted by a mail server: nothing is forwarded yet (ADR 0015). */
    sending: (authority: string) =>
      `Die Beschwerde wird an ${authority} gesendet. Weitergeleitet ist sie, sobald der Mailserver sie angenommen hat; erst dann ist der Vorgang abgeschlossen.`,
    /** The outbox gave up on the mail: the case is back with staff. */
    failedForGood: (authority: string) =>
      `Die Beschwerde ist nicht weitergeleitet: Der Mailserver hat die E-Mail an ${authority} endgültig abgelehnt oder nach wiederholten Versuchen nicht angenommen. Der Vorgang ist offen. Prüfen Sie die Anschrift der Behörde (Einstellung TLFDI_COMPLAINT_ADDRESS) und senden Sie die Beschwerde erneut; sie geht an die dann eingestellte Anschrift.`,
    delivery: "Versand an die Behörde",
    deliveryFailed: (reason: string) => `nicht angenommen – letzte Antwort des Mailservers: ${reason}`,
    resend: "Erneut senden",
    notApplicable:
      "Zu diesem Vorgang gibt es keine hier aufgenommene Beschwerde, die noch weiterzuleiten wäre.",
    back: "Zurück zum Vorgang",
    errors: textsOf({
      "already-forwarded": "Die Beschwerde wurde bereits weitergeleitet.",
      "not-failed": "Diese Beschwerde wartet nicht auf einen erneuten Versand.",
      "case-ended":
        "Der Vorgang ist zurückgezogen oder abgeschlossen; die Beschwerde wird nicht mehr gesendet.",
      "not-a-taken-in-complaint":
        "Zu diesem Vorgang gibt es keine hier aufgenommene Beschwerde, die noch weiterzuleiten wäre.",
      "not-permitted": "Sie dürfen Beschwerden nicht weiterleiten.",
      "document-unreadable":
        "Ein Dokument dieses Vorgangs fehlt im Dokumentenordner oder ist beschädigt (das Protokoll nennt die Datei). Es wurde nichts weitergeleitet.",
    }),
  },

  /** The case-file question on the request form (/antrag/beschwerde), where the request is the whole file. */
  requestForm: {
    caseFileLegend: "Darf die Behörde Ihre Angaben und Dokumente zu diesem Antrag erhalten?",
    caseFileHint:
      "Gemeint sind die weiteren Angaben aus diesem Formular (etwa Name, Anschrift, Telefonnummern, Benutzername, IP-Adressen). Ohne Ihre Zustimmung erhält die Behörde nur Ihre Beschwerde und Ihre Kontaktdaten.",
    caseFileYes: "Ja, meine Angaben dürfen beigefügt werden.",
    caseFileNo: "Nein, nur meine Beschwerde weiterleiten.",
  },

  mail: {
    authoritySubject: (reference: string) =>
      `Beschwerde nach Art. 77 DS-GVO, weitergeleitet vom TLRZ (${reference})`,
    /** takenIn: a complaint that came by letter (fax, phone …) and was taken in by staff. */
    authorityText: (
      reference: string,
      caseFile: boolean,
      takenIn?: { channel: string; receivedOn: string } | null,
    ) =>
      `Sehr geehrte Damen und Herren,\n\n${
        takenIn
          ? `eine Person hat sich am ${takenIn.receivedOn} (Eingangsweg: ${takenIn.channel}) an das Thüringer Landesrechenzentrum gewandt und eine Beschwerde an Sie gerichtet (unser Aktenzeichen ${reference}). Wir leiten sie auf ihren Wunsch weiter; das Schreiben mit der Beschwerde ist als PDF beigefügt, das Schreiben der Person, soweit es uns schriftlich vorliegt, als Anlage.`
          : `über das Rechteportal des Thüringer Landesrechenzentrums hat eine Person eine Beschwerde an Sie gerichtet (unser Aktenzeichen ${reference}). Wir leiten sie auf ihren Wunsch unverändert weiter; das Schreiben mit der Beschwerde ist als PDF beigefügt.`
      }\n\n${
        caseFile
          ? "Die Person hat zugestimmt, dass wir Ihnen die Vorgangsakte übermitteln; sie ist beigefügt."
          : "Die Person hat nicht zugestimmt, dass wir Ihnen die Vorgangsakte übermitteln. Sie ist daher nicht beigefügt."
      }\n\nFür Rückfragen erreichen Sie unseren Datenschutzbeauftragten unter den im Schreiben genannten Kontaktdaten.\n\nMit freundlichen Grüßen\nThüringer Landesrechenzentrum`,
    copySubject: (reference: string) =>
      `Ihre Beschwerde an die Aufsichtsbehörde: Kopie und Bestätigung (${reference})`,
    copyText: (input: {
      reference: string;
      authority: string;
      address: string;
      date: string;
      text: string;
      caseFile: boolean;
      files: string[];
      link: string;
    }) =>
      `Guten Tag,\n\nwir haben Ihre Beschwerde am ${input.date} zum Versand an die Aufsichtsbehörde gegeben:\n${input.authority}\n${input.address}\n\nIhre Beschwerde:\n${input.text}\n\n${
        input.files.length > 0 ? `Ihre Anlagen: ${input.files.join(", ")}\n\n` : ""
      }${
        input.caseFile
          ? "Wie von Ihnen gewählt, haben wir die Vorgangsakte beigefügt."
          : "Wie von Ihnen gewählt, haben wir die Vorgangsakte nicht beigefügt."
      }\n\nIm Anhang finden Sie eine Kopie des Schreibens an die Behörde. Die Behörde meldet sich direkt bei Ihnen. Den Stand sehen Sie hier:\n${input.link}\n\nMit freundlichen Grüßen\nIhr Thüringer Landesrechenzentrum`,
  },

  /** Letters to the authority are written in German, whatever the person's language. */
  letter: {
    fileName: (reference: string) => `Beschwerde-${reference}.pdf`,
    title: "Weiterleitung einer Beschwerde nach Art. 77 DS-GVO",
    to: "An",
    from: "Absender",
    date: "Datum",
    salutation: "Sehr geehrte Damen und Herren,",
    intro:
      "die unten genannte Person hat über unser Rechteportal eine Beschwerde an Sie gerichtet und uns gebeten, sie weiterzuleiten. Wir geben den Text unverändert wieder; wir haben ihn weder geprüft noch bewertet.",
    introTakenIn: (channel: string, receivedOn: string) =>
      `die unten genannte Person hat sich am ${receivedOn} (Eingangsweg: ${channel}) an uns gewandt, eine Beschwerde an Sie gerichtet und uns gebeten, sie weiterzuleiten. Wir haben sie weder geprüft noch bewertet.`,
    personTitle: "Die Person",
    name: "Name",
    email: "E-Mail-Adresse (bestätigt)",
    emailGiven: "E-Mail-Adresse (von der Person angegeben)",
    postalAddress: "Anschrift",
    phone: "Telefon",
    reference: "Unser Aktenzeichen",
    kinds: "Anliegen des Vorgangs",
    receivedAt: "Eingegangen am",
    complaintTitle: "Die Beschwerde",
    textTakenIn:
      "Den folgenden Text haben unsere Beschäftigten aus dem Schreiben der Person übernommen. Maßgeblich ist das Schreiben selbst; soweit es uns schriftlich vorliegt, ist es unter „Anlagen der Person“ beigefügt.",
    filesTitle: "Anlagen der Person",
    noFiles: "keine",
    caseFileTitle: "Vorgangsakte",
    caseFileGiven:
      "Die Person hat zugestimmt, dass wir Ihnen die Vorgangsakte übermitteln. Sie ist als eigene PDF-Datei beigefügt; der Verlauf des Vorgangs folgt hier.",
    caseFileWithheld:
      "Die Person hat nicht zugestimmt, dass wir Ihnen die Vorgangsakte übermitteln. Sie erhalten daher nur die Beschwerde und die Kontaktdaten. Auf Ihre Anfrage erteilen wir Auskunft im Rahmen von Art. 58 Abs. 1 DS-GVO.",
    timelineTitle: "Verlauf des Vorgangs",
    questions: "Für Rückfragen",
    closing: "Mit freundlichen Grüßen\nThüringer Landesrechenzentrum – Rechteportal",
  },

  dossier: {
    fileName: (reference: string) => `Vorgangsakte-${reference}.pdf`,
    title: (reference: string) => `Vorgangsakte ${reference}`,
    made: (date: string) => `Erstellt am ${date} für die Aufsichtsbehörde, mit Zustimmung der Person.`,
    facts: "Eckdaten",
    status: "Stand",
    channel: "Eingangsweg",
    submittedAt: "Abgeschickt am",
    deadline: "Frist",
    extendedDeadline: "Verlängerte Frist",
    extensionReason: "Grund der Verlängerung",
    answeredAt: "Beantwortet am",
    closedAt: "Abgeschlossen am",
    details: "Angaben zum Anliegen",
    identifiers: "Angaben zur Person",
    proven: "bestätigt",
    unproven: "nicht bestätigt",
    messages: "Nachrichten",
    fromPerson: "Von der Person",
    toPerson: "An die Person",
    documents: "Dokumente",
    documentAttached: "als Anlage beigefügt",
    documentTooLarge: "wegen der Größe nicht beigefügt, auf Anfrage erhältlich",
    none: "keine",
  },

  identifierKinds: textsOf<IdentifierKind>({
    email: "E-Mail-Adresse",
    name: "Name",
    "postal-address": "Anschrift",
    phone: "Telefon",
    "user-name": "Benutzername",
    ip: "IP-Adresse",
    "birth-date": "Geburtsdatum",
  }),

  /** Events of the timeline beyond those the person sees on the case page. */
  events: textsOf<DossierTimelineAction>({
    "complaint.forwarded": "Beschwerde an die Aufsichtsbehörde zum Versand gegeben",
    "complaint.sent": "Beschwerde bei der Aufsichtsbehörde zugestellt (vom Mailserver angenommen)",
    "complaint.copies-deleted": "Nach der Zustellung: unsere Kopien der Anlagen der Beschwerde gelöscht",
    "request.refused": "Antrag abgelehnt (Art. 12 Abs. 5 DS-GVO)",
    "review.opened": "Prüfung der Funde begonnen",
    "review.proposed": "Entscheidungsvorschlag zur Freigabe",
    "review.approved": "Freigabe nach Vier-Augen-Prinzip",
    "review.returned": "Vorschlag zur Überarbeitung zurückgegeben",
  }),

  record: {
    fileName: (reference: string) => `Nachweis-TLfDI-${reference}.pdf`,
    title: "Nachweis über beschränkte Auskunft (§ 21 Abs. 5 ThürDSG)",
    intro: (reference: string) =>
      `Für den Vorgang ${reference} wurde die Auskunft ganz oder teilweise beschränkt. Dieser Nachweis nennt jeden zurückgehaltenen oder geschwärzten Fund mit Rechtsgrund, Begründung, Entscheidung und Freigabe. Er ist für die Aufsichtsbehörde bestimmt.`,
    produced: (date: string, by: string) => `Erstellt am ${date} von ${by}`,
    caseTitle: "Vorgang",
    reference: "Aktenzeichen",
    kinds: "Anliegen",
    receivedAt: "Eingegangen am",
    status: "Stand",
    roundTitle: "Freigabe",
    proposedBy: "Vorgeschlagen von",
    approvedBy: "Freigegeben von",
    refusalTitle: "Ablehnung des Antrags",
    refusalReason: "Begründung",
    decidedBy: "Entschieden von",
    withheldTitle: "Zurückgehaltene Funde",
    redactedTitle: "Geschwärzte Angaben",
    none: "keine",
    finding: (index: number) => `Fund ${index}`,
    store: "Datenbestand",
    activity: "Verarbeitungstätigkeit",
    ref: "Kennung",
    recordedAt: "Erfasst am",
    ground: "Rechtsgrund",
    reasoning: "Begründung",
    omitReasons: "Gründe der Person nicht mitgeteilt (§ 21 Abs. 4 ThürDSG)",
    yes: "ja",
    no: "nein",
    reviewOn: "Erneut prüfen am",
    decided: "Entschieden von / am",
    redactedFields: "Geschwärzte Felder",
    content: "Inhalt",
    unknownStaff: "unbekanntes Konto",
    download: "Nachweis für die Aufsichtsbehörde herunterladen (§ 21 Abs. 5 ThürDSG, PDF)",
  },

  recordErrors: {
    nothingRestricted:
      "In diesem Vorgang wurde keine Auskunft beschränkt oder abgelehnt; ein Nachweis nach § 21 Abs. 5 ThürDSG ist nicht nötig.",
  },
};
