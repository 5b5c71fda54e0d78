import { textsOf } from "./texts";
/** Texts of delivering the answer: release by staff, download by the person after a fresh code. */
export const deliveryDe = {
  release: "Antwort bereitstellen und Person benachrichtigen",
  released: "Die Antwort ist bereitgestellt.",
  paperLetter: "Antwortschreiben als PDF zum Ausdrucken",
  notApproved: "Es gibt noch keine freigegebene Prüfung.",
  readySubject: (reference: string) => `Ihre Antwort zum Vorgang ${reference} liegt bereit`,
  readyText: (reference: string, link: string, until: string) =>
    `unsere Antwort zu Ihrem Antrag ${reference} liegt für Sie bereit: ein Antwortschreiben und eine Kopie Ihrer Daten in maschinenlesbarer Form.\n\nSie können beides bis zum ${until} herunterladen: ${link}\nZum Schutz Ihrer Daten senden wir Ihnen vor dem Herunterladen einen Code an diese E-Mail-Adresse.`,
  message: (until: string) =>
    `Ihre Antwort liegt bereit. Sie können sie bis zum ${until} hier herunterladen.`,
  codeSubject: "Ihr Code zum Herunterladen der Antwort",
  codeText: (code: string) => `Ihr Code zum Herunterladen der Antwort lautet: ${code}\n\nEr gilt 15 Minuten.`,
  heading: "Ihre Antwort",
  available: (until: string) => `Verfügbar bis ${until}.`,
  expired:
    "Die Frist zum Herunterladen ist abgelaufen. Schreiben Sie uns, wenn Sie die Antwort noch einmal brauchen.",
  unlockIntro:
    "Zum Schutz Ihrer Daten bestätigen Sie das Herunterladen mit einem Code, den wir Ihnen per E-Mail senden.",
  sendCode: "Code senden",
  codeSent: "Wir haben Ihnen einen Code geschickt.",
  code: "Code aus der E-Mail",
  unlock: "Herunterladen freischalten",
  unlocked: "Das Herunterladen ist für 15 Minuten freigeschaltet.",
  recipientsTitle: "Empfänger, die wir informiert haben (Art. 19 DS-GVO)",
  recipientsIntro:
    "Wir haben Berichtigung, Löschung oder Einschränkung Ihrer Daten allen Stellen mitgeteilt, die diese Daten von uns erhalten haben:",
  recipientNotTold: (reason: string) => `nicht informiert: ${reason}`,
  files: {
    letter: "Antwortschreiben (PDF)",
    archive: "Kopie Ihrer Daten (ZIP: Übersicht als HTML, Daten als JSON und CSV)",
    portability: "Daten zur Übertragung (ZIP, JSON)",
  },
  encrypted: {
    title: "Verschlüsselt herunterladen",
    intro:
      "Sie können die ZIP-Archive auch verschlüsselt herunterladen (AES-256). Dazu erzeugen wir ein Passwort, das wir nur dieses eine Mal anzeigen und nirgends speichern. Zum Öffnen brauchen Sie ein Programm, das verschlüsselte ZIP-Archive öffnen kann, zum Beispiel 7-Zip; die in Windows eingebaute ZIP-Funktion kann das nicht.",
    create: "Passwort erzeugen",
    password: "Ihr Passwort für die verschlüsselten Archive:",
    onceOnly:
      "Notieren Sie das Passwort jetzt: Wir zeigen es nicht noch einmal. Geben Sie es zum Herunterladen unten noch einmal ein – so wissen Sie sicher, dass Sie es haben. Haben Sie das Passwort verloren, erzeugen Sie ein neues und laden die Archive noch einmal herunter.",
    typeBack: "Passwort zur Bestätigung eingeben (mit Bindestrichen)",
    wrongPassword:
      "Das eingegebene Passwort stimmt nicht mit dem angezeigten überein. Es wurde nichts heruntergeladen; der Versuch ist vermerkt. Erzeugen Sie ein neues Passwort, notieren Sie es und geben Sie es zum Herunterladen ein.",
    archive: "Kopie Ihrer Daten, verschlüsselt (ZIP)",
    portability: "Daten zur Übertragung, verschlüsselt (ZIP)",
  },
  refused: textsOf({
    abgelaufen:
      "Die Frist zum Herunterladen ist abgelaufen. Schreiben Sie uns, wenn Sie die Antwort noch einmal brauchen.",
    geaendert:
      "Die Antwort kann gerade nicht heruntergeladen werden: Daten haben sich seit unserer Prüfung geändert, und wir geben nichts heraus, was wir nicht geprüft haben. Das ist vermerkt. Versuchen Sie es später noch einmal oder schreiben Sie uns über diese Seite.",
  }),
  /**
   * Notices of a decision on the request (Art. 12(3) extension, Art. 12(5) refusal) and the rights
   * every refusal, restriction and extension states: the complaint to the TLfDI and the judicial remedy.
   */
  notices: {
    complaint: (authority: string, complaintLink: string) =>
      `Beschwerde: Sie haben das Recht, sich bei der Aufsichtsbehörde zu beschweren (Art. 77 DS-GVO): ${authority}. Das Rechteportal leitet Ihre Beschwerde auf Wunsch weiter: ${complaintLink}`,
    legalRemedy: (months: number, court: string, address: string) =>
      `Rechtsbehelfsbelehrung: Gegen diese Entscheidung können Sie innerhalb ${months === 1 ? "eines Monats" : `von ${months} Monaten`} nach ihrer Bekanntgabe Klage beim ${court}, ${address}, erheben (Art. 79 DS-GVO). Die Klage ist schriftlich oder zur Niederschrift der Urkundsbeamtin oder des Urkundsbeamten der Geschäftsstelle des Gerichts zu erheben.`,
    legalRemedyObjection: (months: number, authority: string, address: string, court: string) =>
      `Rechtsbehelfsbelehrung: Gegen diese Entscheidung können Sie innerhalb ${months === 1 ? "eines Monats" : `von ${months} Monaten`} nach ihrer Bekanntgabe Widerspruch erheben, schriftlich oder zur Niederschrift beim ${authority}, ${address}. Wird dem Widerspruch nicht abgeholfen, steht Ihnen die Klage beim ${court} offen (Art. 79 DS-GVO).`,
    extensionSubject: (reference: string) => `Ihr Antrag ${reference}: Verlängerung der Frist`,
    extensionBody: (reference: string, received: string, deadline: string, reasons: string) =>
      `Guten Tag,\n\nSie haben Ihren Antrag ${reference} am ${received} gestellt. Wir können ihn nicht innerhalb eines Monats abschließen und verlängern die Frist nach Art. 12 Abs. 3 Satz 2 DS-GVO bis zum ${deadline}.\n\nDie Gründe:\n${reasons}`,
    refusalSubject: (reference: string) => `Ihr Antrag ${reference}: Ablehnung nach Art. 12 Abs. 5 DS-GVO`,
    refusalBody: (reference: string, ground: string, reasons: string) =>
      `Guten Tag,\n\nwir werden auf Ihren Antrag ${reference} nicht tätig, weil er ${ground} ist (Art. 12 Abs. 5 Satz 2 Buchst. b DS-GVO). Dass das so ist, haben wir nachzuweisen (Art. 12 Abs. 5 Satz 3 DS-GVO).\n\nDie Gründe:\n${reasons}`,
    declineSubject: (reference: string) => `Ihr Antrag ${reference}: Ablehnung`,
    /** Art. 12(4): the reasons for not acting, with the complaint and the judicial remedy appended. */
    declineBody: (reference: string, kinds: string, reasons: string) =>
      `Guten Tag,\n\nwir haben Ihren Antrag ${reference} geprüft. Ihrem Antrag auf ${kinds} kommen wir nicht nach (Art. 12 Abs. 4 DS-GVO).\n\nDie Gründe:\n${reasons}`,
  },

  /** The review's decision form: which text goes where, and the preview of the letter's paragraph. */
  decisionForm: {
    reasoning:
      "Interne Begründung (Pflicht beim Zurückhalten und Schwärzen; für die Akte und die TLfDI, erscheint nie im Schreiben)",
    personReasons:
      "Text für die Person (beim Zurückhalten; erscheint im Schreiben unter „Begründung“; leer: das Schreiben nennt den gesetzlichen Grund in allgemeinen Worten)",
    omitReasons:
      "Gründe weglassen (§ 21 Abs. 4 ThürDSG): Das Schreiben nennt dann weder die Rechtsgrundlage noch einen Text, sondern verweist auf die Aufsichtsbehörde",
    preview: "Vorschau des Schreibens",
    previewHeading: "So steht es im Schreiben",
    previewNone:
      "Beim Herausgeben und Schwärzen übernimmt das Schreiben keinen Text des Prüfers; eine Schwärzung erklärt es mit dem gesetzlichen Grund.",
    previewSilent:
      "Das Schreiben erwähnt diese Treffer nicht, auch nicht als Zahl; es sagt dann nicht, dass nichts gefunden wurde.",
    previewSaved: "Noch nicht gespeichert: Prüfen Sie die Vorschau und speichern Sie die Entscheidung.",
  },

  errors: textsOf({
    notUnlocked: "Bitte schalten Sie das Herunterladen zuerst mit einem Code frei.",
    code: "Der Code ist falsch oder abgelaufen. Fordern Sie einen neuen an.",
    locked: "Zu viele falsche Versuche. Fordern Sie einen neuen Code an.",
    rateLimited: "Sie haben zu viele Codes angefordert. Bitte warten Sie eine Stunde.",
    notReleased: "Die Antwort ist noch nicht bereitgestellt.",
    "refusal-too-late":
      "Eine Ablehnung nach Art. 12 Abs. 5 DS-GVO ist nur innerhalb eines Monats nach Eingang möglich (Art. 12 Abs. 4 DS-GVO).",
  }),
};
