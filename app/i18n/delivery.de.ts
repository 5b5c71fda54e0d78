/** Texts of delivering the answer: release by staff, download by the person after a fresh code. */
export const deliveryDe = {
  release: "Antwort bereitstellen und Person benachrichtigen",
  released: "Die Antwort ist bereitgestellt.",
  paperLetter: "Antwortschreiben als PDF zum Ausdrucken",
  notApproved: "Es gibt noch keine freigegebene Prüfung.",
  readySubject: (reference: string) => `Ihre Antwort zum Vorgang ${reference} liegt bereit`,
  readyText: (reference: string, link: string, until: string) =>
    `unsere Antwort zu Ihrem Antrag ${reference} liegt für Sie bereit: ein Antwortschreiben und eine Kopie Ihrer Daten in maschinenlesbarer Form.\n\nSie können beides bis zum ${until} herunterladen: ${link}\nZum Schutz Ihrer Daten senden wir Ihnen vor dem Herunterladen einen Code an diese E-Mail-Adresse.`,
  message: (until: string) => `Ihre Antwort liegt bereit. Sie können sie bis zum ${until} hier herunterladen.`,
  codeSubject: "Ihr Code zum Herunterladen der Antwort",
  codeText: (code: string) => `Ihr Code zum Herunterladen der Antwort lautet: ${code}\n\nEr gilt 15 Minuten.`,
  heading: "Ihre Antwort",
  available: (until: string) => `Verfügbar bis ${until}.`,
  expired: "Die Frist zum Herunterladen ist abgelaufen. Schreiben Sie uns, wenn Sie die Antwort noch einmal brauchen.",
  unlockIntro: "Zum Schutz Ihrer Daten bestätigen Sie das Herunterladen mit einem Code, den wir Ihnen per E-Mail senden.",
  sendCode: "Code senden",
  codeSent: "Wir haben Ihnen einen Code geschickt.",
  code: "Code aus der E-Mail",
  unlock: "Herunterladen freischalten",
  unlocked: "Das Herunterladen ist für 15 Minuten freigeschaltet.",
  recipientsTitle: "Empfänger, die wir informiert haben (Art. 19 DS-GVO)",
  recipientsIntro: "Wir haben Berichtigung, Löschung oder Einschränkung Ihrer Daten allen Stellen mitgeteilt, die diese Daten von uns erhalten haben:",
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
  refused: {
    abgelaufen: "Die Frist zum Herunterladen ist abgelaufen. Schreiben Sie uns, wenn Sie die Antwort noch einmal brauchen.",
    geaendert:
      "Die Antwort kann gerade nicht heruntergeladen werden: Daten haben sich seit unserer Prüfung geändert, und wir geben nichts heraus, was wir nicht geprüft haben. Das ist vermerkt. Versuchen Sie es später noch einmal oder schreiben Sie uns über diese Seite.",
  } as Record<string, string>,
  errors: {
    notUnlocked: "Bitte schalten Sie das Herunterladen zuerst mit einem Code frei.",
    code: "Der Code ist falsch oder abgelaufen. Fordern Sie einen neuen an.",
    locked: "Zu viele falsche Versuche. Fordern Sie einen neuen Code an.",
    rateLimited: "Sie haben zu viele Codes angefordert. Bitte warten Sie eine Stunde.",
    notReleased: "Die Antwort ist noch nicht bereitgestellt.",
  } as Record<string, string>,
};
