/** The print queue: notices for people who wrote by post, and the letter that carries each one. */
export const printDe = {
  title: "Druckausgang",
  intro:
    "Wer ohne E-Mail-Adresse geschrieben hat, erhält jede Mitteilung als Brief. Drucken Sie ihn aus, kuvertieren Sie ihn (Fensterumschlag DIN lang, C5 oder C4) und tragen Sie den Tag ein, an dem er zur Post ging. Erst dann gilt die Mitteilung als versandt.",
  waitingHeading: "Warten auf Versand",
  dispatchedHeading: "Versandt (letzte 50)",
  noneWaiting: "Kein Brief wartet auf Versand.",
  noneDispatched: "Noch kein Brief versandt.",
  reference: "Aktenzeichen",
  subject: "Betreff",
  created: "Erstellt",
  enclosures: "Anlagen",
  download: "Brief (PDF)",
  dispatchedOn: "Zur Post gegeben am",
  markDispatched: "Als versandt eintragen",
  dispatchedBy: "eingetragen von",
  recorded: "Der Versand ist eingetragen.",
  badDay: "Bitte ein Datum angeben, das nicht in der Zukunft liegt und nicht vor der Erstellung des Briefs.",
  alreadyDispatched: "Dieser Brief ist bereits als versandt eingetragen.",
  unreachableHeading: "Aufgaben: Person nicht erreichbar",
  unreachableIntro:
    "Für diese Vorgänge gibt es weder eine E-Mail-Adresse noch eine Postanschrift. Keine Mitteilung kann zugestellt werden; der Vorgang steht, bis Sie eine Anschrift ergänzen.",
  noneUnreachable: "Keine.",
  waitingOnCase: (count: number) =>
    count === 1 ? "1 Brief wartet auf Versand" : `${count} Briefe warten auf Versand`,
  answersHeading: "Auskünfte auf Papier",
  answersIntro:
    "Die Auskunft geht in zwei Sendungen: das Auskunftsschreiben mit dem Datenträger (das verschlüsselte Archiv der Daten, auf CD oder USB-Stick), und getrennt davon, an einem anderen Tag, der Brief mit dem Passwort.",
  noneAnswers: "Keine freigegebene Auskunft für eine Person ohne E-Mail-Adresse.",
  accessLetter: "Auskunftsschreiben (PDF)",
  prepareMedium: "Datenträger vorbereiten (Passwortbrief erzeugen)",
  encryptedArchive: "Verschlüsseltes Archiv für den Datenträger",
  mediumPrepared:
    "Der Passwortbrief steht im Druckausgang; das verschlüsselte Archiv kann nun geladen werden.",
  letter: {
    title: (reference: string) => `Mitteilung zum Vorgang ${reference}`,
    reference: "Aktenzeichen",
    date: "Datum",
    contact: "Kontakt",
    contactName: "Datenschutzbeauftragter",
    phone: "Telefon",
    email: "E-Mail",
    enclosures: "Anlagen",
    passwordSubject: (reference: string) => `Passwort für den Datenträger zu Ihrem Vorgang ${reference}`,
    passwordText: (reference: string, password: string) =>
      `Guten Tag,\n\nmit getrennter Post erhalten Sie unsere Auskunft zu Ihrem Vorgang ${reference} mit einem Datenträger. Die Daten darauf sind verschlüsselt (ZIP-Archiv, AES-256). Das Passwort lautet:\n\n${password}\n\nBitte bewahren Sie diesen Brief getrennt vom Datenträger auf. Geöffnet wird das Archiv mit einem üblichen Programm (z. B. 7-Zip); es enthält Ihre Daten als JSON und CSV und eine Übersicht (index.html).\n\nMit freundlichen Grüßen`,
    machine: "Dieses Schreiben wurde elektronisch erstellt und ist ohne Unterschrift gültig.",
  },
};
