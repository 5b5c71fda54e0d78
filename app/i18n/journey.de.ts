import type { RequestTimelineAction } from "../core/audit-actions";
import type { StaffChannel } from "../core/channels";
import type { Lang } from "./index";
import type { CaseStatus } from "../core/case-status";
import { textsOf } from "./texts";
/** Texts of the data subject's journey: forms, code confirmation, case pages, mails. */
// Made once: a new Intl.DateTimeFormat costs ~0.2 ms, a format with one ~0.001 ms, and a letter or
// confirmation formats a date for every record it lists.
const berlinDate = new Intl.DateTimeFormat("de-DE", { dateStyle: "long", timeZone: "Europe/Berlin" });
const berlinDateTime = new Intl.DateTimeFormat("de-DE", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "Europe/Berlin",
});
const asDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);

export const journeyDe = {
  title: "Antrag stellen",
  formatDate: (value: Date | string) => berlinDate.format(asDate(value)),
  formatDateTime: (value: Date | string) => `${berlinDateTime.format(asDate(value))} Uhr`,

  choose: {
    title: "Welches Recht möchten Sie nutzen?",
    intro:
      "Wählen Sie aus, worum es Ihnen geht. Sie können im Formular weitere Anliegen dazunehmen, zum Beispiel Auskunft und Löschung zusammen. Der Antrag ist kostenlos.",
    start: (label: string) => `${label} beantragen`,
    noReason: "Für Auskunft und Löschung müssen Sie keinen Grund angeben.",
    otherWays:
      "Sie müssen dieses Formular nicht nutzen: Ein Brief, ein Fax, eine E-Mail oder ein Anruf beim Thüringer Landesrechenzentrum genügt ebenso.",
  },

  form: {
    title: (label: string) => `Antrag: ${label}`,
    intro:
      "Nur Ihre E-Mail-Adresse ist Pflicht. Alles andere ist freiwillig und hilft uns, Ihre Daten in unseren Systemen zu finden.",
    required: "Pflichtangabe",
    optional: "freiwillig",
    contactLegend: "Wohin sollen wir antworten?",
    email: "Ihre E-Mail-Adresse",
    emailHint:
      "Wir schicken Ihnen gleich einen Code an diese Adresse. Damit bestätigen Sie, dass sie Ihnen gehört. Auch unsere Antwort geht dorthin.",
    kindsLegend: "Möchten Sie noch etwas beantragen?",
    kindsHint: "Kreuzen Sie an, was Sie zusätzlich möchten.",
    kindExtraHint: "Nur nötig, wenn Sie dieses Anliegen ankreuzen.",
    identifiersLegend: "Wonach sollen wir suchen?",
    identifiersHint:
      "Freiwillig. Wir suchen Ihre Daten mit diesen Angaben. Was Sie nicht bestätigt haben, behandeln wir als unbestätigt und fragen nach, wenn es Zweifel gibt.",
    name: "Vor- und Nachname",
    postalAddress: "Postanschrift",
    postalAddressHint: "Straße, Hausnummer, Postleitzahl und Ort",
    otherEmails: "Weitere E-Mail-Adressen",
    otherEmailsHint:
      "Eine Adresse pro Zeile, zum Beispiel eine alte Adresse, mit der Sie uns geschrieben haben.",
    phones: "Telefon- oder Faxnummern",
    phonesHint: "Eine Nummer pro Zeile, zum Beispiel 0361 123456.",
    userName: "Benutzername im Beauskunftungssystem",
    userNameHint:
      "Nur wenn Sie als Beschäftigte oder Beschäftigter einer Behörde ein Konto für Melderegister-Abfragen haben.",
    ipLegend: (n: number) => `IP-Adresse ${n}`,
    ipHint:
      "Wenn Sie wissen möchten, ob wir Zugriffe von Ihrem Anschluss gespeichert haben. Die Zeitangaben helfen uns, Ihre Zugriffe von denen anderer zu trennen.",
    ipAddress: "IP-Adresse",
    ipFrom: "Genutzt ab",
    ipTo: "Genutzt bis",
    birthDate: "Geburtsdatum",
    birthDateHint:
      "Nur angeben, wenn Sie wissen möchten, ob Behörden über unser System Ihre Meldedaten abgefragt haben. Format: TT.MM.JJJJ",
    honeypot: "Dieses Feld bitte leer lassen",
    submit: "Antrag absenden",
    privacy:
      "Wir verwenden Ihre Angaben nur, um Ihren Antrag zu bearbeiten. Bestätigen Sie Ihre E-Mail-Adresse nicht innerhalb von 30 Tagen, löschen wir den Antrag.",
  },

  errors: textsOf({
    summaryTitle: "Bitte prüfen Sie Ihre Angaben",
    required: "Bitte füllen Sie dieses Feld aus.",
    email: "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@beispiel.de.",
    emailList: "Mindestens eine der weiteren E-Mail-Adressen ist ungültig.",
    phoneList: "Mindestens eine der Nummern ist keine gültige Telefonnummer.",
    tooLong: "Der Text ist zu lang.",
    tooMany: "Das sind zu viele Einträge.",
    ip: "Bitte geben Sie eine gültige IPv4- oder IPv6-Adresse an.",
    dateTime: "Bitte geben Sie Datum und Uhrzeit an.",
    ipRange: "Das Ende liegt vor dem Anfang.",
    birthDate: "Bitte geben Sie das Datum als TT.MM.JJJJ an.",
    choice: "Bitte wählen Sie eine der Möglichkeiten.",
    kinds: "Diese Auswahl ist nicht möglich.",
    code: "Der Code besteht aus 6 Ziffern.",
    codeWrong: "Der Code stimmt nicht. Bitte prüfen Sie ihn.",
    codeExpired: "Der Code ist abgelaufen. Bitte fordern Sie einen neuen an.",
    codeLocked: "Der Code wurde zu oft falsch eingegeben. Bitte fordern Sie einen neuen an.",
    rateLimited:
      "Sie haben in kurzer Zeit zu viele Codes angefordert. Bitte warten Sie eine Stunde und versuchen Sie es dann erneut.",
    badForm:
      "Das Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
    fileType: "Bitte laden Sie eine PDF-, PNG- oder JPEG-Datei hoch.",
    fileTooLarge: "Die Datei ist größer als 8 MB.",
    addEmpty: "Bitte schreiben Sie eine Nachricht oder wählen Sie eine Datei.",
    confirmWithdraw: "Bitte bestätigen Sie, dass Sie den Antrag zurückziehen möchten.",
    notChangeable: "Dieser Antrag ist abgeschlossen und kann nicht mehr geändert werden.",
    invalid: "Diese Angabe ist ungültig.",
    lineBreak: "Bitte schreiben Sie diese Angabe in eine Zeile, ohne Zeilenumbruch.",
    controlCharacters:
      "Ihre Eingabe enthält unsichtbare Steuerzeichen, die wir nicht annehmen. Das passiert manchmal beim Kopieren aus anderen Programmen. Bitte gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular, tippen Sie die Angaben neu ein und senden Sie es noch einmal. Es wurde nichts gespeichert.",
  }),

  confirm: {
    title: "E-Mail-Adresse bestätigen",
    intro:
      "Wir haben Ihnen einen Code mit 6 Ziffern per E-Mail geschickt. Geben Sie ihn hier ein. Erst dann bearbeiten wir Ihren Antrag.",
    validity:
      "Der Code gilt 15 Minuten. Ist er abgelaufen, fordern Sie einfach einen neuen an – Ihre Angaben bleiben gespeichert.",
    code: "Code aus der E-Mail",
    codeHint: "6 Ziffern, zum Beispiel 123456",
    submit: "Bestätigen",
    resend: "Neuen Code senden",
    resent: "Wir haben Ihnen einen neuen Code geschickt. Der alte gilt nicht mehr.",
    noMail: "Keine E-Mail bekommen? Sehen Sie auch im Spam-Ordner nach.",
    unknown:
      "Wir finden diesen Antrag nicht. Vielleicht ist er schon bestätigt oder nach 30 Tagen gelöscht worden.",
    startAgain: "Neuen Antrag stellen",
  },

  signIn: {
    title: "Meine Vorgänge",
    intro:
      "Melden Sie sich mit der E-Mail-Adresse an, die Sie bei Ihrem Antrag bestätigt haben. Ein Passwort brauchen Sie nicht: Wir schicken Ihnen einen Code.",
    email: "Ihre E-Mail-Adresse",
    send: "Code senden",
    sent: "Wenn es zu dieser Adresse einen Vorgang gibt, haben wir Ihnen einen Code geschickt.",
    code: "Code aus der E-Mail",
    codeHint: "6 Ziffern. Der Code gilt 15 Minuten.",
    verify: "Anmelden",
    otherAddress: "Andere Adresse verwenden",
    signedInAs: (emails: string) => `Angemeldet mit: ${emails}`,
    sessionNote: "Die Anmeldung gilt, bis Sie den Browser schließen oder sich abmelden, höchstens 8 Stunden.",
    signOut: "Abmelden",
    addAddress: "Weitere Adresse hinzufügen",
  },

  cases: {
    title: "Meine Vorgänge",
    none: "Zu Ihren Adressen gibt es keinen Vorgang.",
    reference: "Aktenzeichen",
    kinds: "Anliegen",
    receivedAt: "Eingegangen am",
    deadline: "Antwort spätestens bis",
    status: "Stand",
    newRequest: "Neuen Antrag stellen",
  },

  case: {
    title: (reference: string) => `Vorgang ${reference}`,
    proven: "Ihre E-Mail-Adresse ist bestätigt. Ihr Antrag ist bei uns eingegangen.",
    facts: "Überblick",
    extendedDeadline: "Verlängerte Frist",
    extensionReason: "Grund der Verlängerung",
    deadlineNote:
      "Wir müssen innerhalb eines Monats antworten. In schwierigen Fällen dürfen wir die Frist um bis zu zwei Monate verlängern – dann sagen wir Ihnen vorher, warum.",
    timeline: "Verlauf",
    messages: "Nachrichten",
    noMessages: "Noch keine Nachrichten.",
    fromYou: "Von Ihnen",
    fromUs: "Vom Thüringer Landesrechenzentrum",
    downloads: "Antwort herunterladen",
    notReleased:
      "Die Antwort ist noch nicht freigegeben. Sobald sie fertig ist, finden Sie sie hier und wir schreiben Ihnen eine E-Mail.",
    outcomeTitle: "Ergebnis",
    /** A case that asks for no copy of data (erasure, restriction, rectification, objection, withdrawal): the outcome is a message. */
    outcomeByMessage:
      "Was wir zu Ihrem Antrag entschieden und getan haben, schreiben wir Ihnen als Nachricht – Sie finden sie unten unter „Nachrichten“. Eine Datei zum Herunterladen gibt es dazu nicht.",
    /** A complaint request: the supervisory authority answers it, not we. */
    complaintNext: (authority: string) =>
      `Ihre Beschwerde leiten wir an ${authority} weiter. Die Aufsichtsbehörde prüft sie und antwortet Ihnen direkt – nicht wir. Von uns erhalten Sie zu Ihrer Beschwerde keine weitere Antwort und nichts zum Herunterladen. Wann wir sie weitergeleitet haben, sehen Sie auf der Beschwerdeseite.`,
    identifiers: "Ihre Angaben zur Suche",
    unproven: "unbestätigt",
    provenMark: "bestätigt",
    addTitle: "Informationen oder Dokumente nachreichen",
    addText: "Ihre Nachricht",
    addFile: "Dokument (freiwillig)",
    addFileHint: "PDF, PNG oder JPEG, höchstens 8 MB.",
    addSubmit: "Nachreichen",
    added: "Danke, wir haben Ihre Nachricht zum Vorgang genommen.",
    withdrawTitle: "Antrag zurückziehen",
    withdrawText:
      "Wenn Sie den Antrag zurückziehen, bearbeiten wir ihn nicht weiter. Sie können jederzeit einen neuen stellen.",
    withdrawConfirm: "Ja, ich ziehe diesen Antrag zurück.",
    withdrawSubmit: "Antrag zurückziehen",
    withdrawn: "Sie haben den Antrag zurückgezogen.",
    back: "Zu allen Vorgängen",
  },

  /** Every case status (app/core/case-status.ts) in the person's words; the final ones say how the case ended. */
  status: textsOf<CaseStatus | "other">({
    unproven: "E-Mail-Adresse nicht bestätigt",
    received: "Eingegangen, in Bearbeitung",
    gathering: "In Bearbeitung",
    review: "In Bearbeitung",
    approved: "In Bearbeitung",
    withdrawn: "Abgeschlossen: von Ihnen zurückgezogen",
    answered: "Abgeschlossen: beantwortet",
    "carried-out": "Abgeschlossen: umgesetzt (was wir getan haben, steht in den Nachrichten)",
    forwarded: "Abgeschlossen: an die Aufsichtsbehörde weitergeleitet, die Ihnen antwortet",
    refused: "Abgeschlossen: abgelehnt (Begründung in den Nachrichten)",
    other: "In Bearbeitung",
  }),

  events: textsOf<RequestTimelineAction>({
    "request.submitted": "Antrag abgeschickt",
    "request.proven": "E-Mail-Adresse bestätigt, Antrag eingegangen",
    "request.received": "Antrag eingegangen und erfasst",
    "request.information-added": "Sie haben Informationen nachgereicht",
    "request.withdrawn": "Antrag zurückgezogen",
    "request.identifier-proven": "Weitere E-Mail-Adresse bestätigt",
    "request.deadline-extended": "Frist verlängert",
    "request.answered": "Antwort verschickt",
    "request.closed": "Vorgang abgeschlossen",
  }),

  mail: {
    greeting: "Guten Tag,",
    closing: "Mit freundlichen Grüßen\nIhr Thüringer Landesrechenzentrum",
    automatic: "Diese E-Mail wurde automatisch erstellt.",
    notYou:
      "Wenn Sie keinen Antrag gestellt haben, können Sie diese E-Mail ignorieren. Ohne Bestätigung löschen wir den Antrag nach 30 Tagen.",
    codeSubject: "Ihr Bestätigungscode für das Rechteportal",
    codeText: (code: string, link: string) =>
      `Ihr Code lautet: ${code}\n\nEr gilt 15 Minuten. Geben Sie ihn auf dieser Seite ein:\n${link}\n\nErst nach der Bestätigung bearbeiten wir Ihren Antrag.`,
    signInSubject: "Ihr Anmeldecode für das Rechteportal",
    signInText: (code: string, link: string) =>
      `Ihr Code zur Anmeldung lautet: ${code}\n\nEr gilt 15 Minuten. Geben Sie ihn hier ein:\n${link}\n\nWenn Sie sich nicht anmelden wollten, ignorieren Sie diese E-Mail.`,
    ackSubject: (reference: string) => `Eingangsbestätigung ${reference}`,
    ackText: (reference: string, kinds: string, received: string, deadline: string, link: string) =>
      `Ihr Antrag ist bei uns eingegangen.\n\nAktenzeichen: ${reference}\nAnliegen: ${kinds}\nEingegangen am: ${received}\nAntwort spätestens bis: ${deadline}\n\nIm Anhang finden Sie die Eingangsbestätigung als PDF. Den Stand Ihres Antrags sehen Sie hier:\n${link}`,
    withdrawnSubject: (reference: string) => `Antrag zurückgezogen: ${reference}`,
    withdrawnText: (reference: string) =>
      `Sie haben Ihren Antrag ${reference} zurückgezogen. Wir bearbeiten ihn nicht weiter.`,
  },

  receipt: {
    fileName: (reference: string) => `Eingangsbestaetigung-${reference}.pdf`,
    title: "Eingangsbestätigung",
    intro: "Ihr Antrag nach der Datenschutz-Grundverordnung ist bei uns eingegangen.",
    reference: "Aktenzeichen",
    kinds: "Anliegen",
    receivedAt: "Eingegangen am",
    deadline: "Antwort spätestens bis",
    nextTitle: "Wie es weitergeht",
    next: [
      "Wir suchen in unseren Systemen nach den Daten, die zu Ihren Angaben passen.",
      "Bei Zweifeln, ob die Daten zu Ihnen gehören, fragen wir nach. Einen Ausweis verlangen wir nicht ohne Grund.",
      "Die oder der Datenschutzbeauftragte prüft die Antwort, bevor wir sie freigeben.",
      "Sie erhalten die Antwort elektronisch. Den Stand sehen Sie jederzeit im Rechteportal unter „Meine Vorgänge“.",
    ],
    deadlineNote:
      "Wir antworten innerhalb eines Monats. In schwierigen Fällen können wir die Frist um bis zu zwei Monate verlängern; das teilen wir Ihnen innerhalb des ersten Monats mit Begründung mit.",
    rightsTitle: "Ihre Rechte",
    rights:
      "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und Widerspruch. Der Antrag ist kostenlos.",
    complaint: (authority: string, address: string) =>
      `Sie können sich jederzeit beschweren bei: ${authority}, ${address}.`,
    controller: "Verantwortlich",
  },

  intake: {
    title: "Antrag erfassen",
    intro:
      "Für Anträge, die per Brief, Fax, E-Mail, Telefon oder persönlich eingegangen sind. Der Vorgang erhält sofort ein Aktenzeichen und seine Frist ab dem tatsächlichen Eingang.",
    channel: "Eingangsweg",
    channels: textsOf<StaffChannel>({
      letter: "Brief",
      fax: "Fax",
      email: "E-Mail",
      phone: "Telefon",
      "in-person": "persönlich",
    }),
    receivedOn: "Eingangsdatum",
    receivedOnHint: "Tag, an dem der Antrag bei uns eingegangen ist (Eingangsstempel).",
    kinds: "Anliegen",
    lang: "Sprache der Antwort",
    languages: textsOf<Lang>({ de: "Deutsch", en: "Englisch" }),
    email: "E-Mail-Adresse der Person",
    emailHint:
      "Ist eine Adresse angegeben, geht die Eingangsbestätigung per E-Mail dorthin. E-Mail oder Postanschrift ist nötig.",
    note: "Vermerk zum Inhalt des Antrags",
    scan: "Scan des Schreibens (freiwillig)",
    scanHint: "PDF, PNG oder JPEG, höchstens 8 MB.",
    submit: "Vorgang anlegen",
    created: (reference: string) => `Vorgang ${reference} wurde angelegt.`,
  },

  demoMailbox: {
    title: "Demo-Postfach",
    intro: "Diese Seite gibt es nur im Demo-Betrieb. Sie zeigt die E-Mails, die das Portal verschickt hätte.",
    empty: "Noch keine E-Mails.",
    to: "An",
    date: "Gesendet",
    attachments: "Anhänge",
  },
};
