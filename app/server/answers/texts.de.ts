/**
 * Texts of the answer to an access request: the letter (PDF) and the readable view in the archive
 * (index.html). German is the source; texts.en.ts is typed against this shape.
 */
import type { RepresentativeRole } from "#app/core/representation";
import type { RestrictionGroundId } from "#app/core/restriction-grounds";
import type { Finding, IdentifierKind, StoreKind } from "#app/sources/connector";
import { berlinDateTimeFormatter } from "./berlin-clock";

const berlinDate = new Intl.DateTimeFormat("de-DE", { dateStyle: "long", timeZone: "Europe/Berlin" });

const records = (n: number) => (n === 1 ? "1 Datensatz" : `${n.toLocaleString("de-DE")} Datensätze`);

export type Role = NonNullable<Finding["role"]>;

export const answersDe = {
  formatDate: (value: Date) => berlinDate.format(value),
  formatDateTime: berlinDateTimeFormatter("de-DE", (date, time) => `${date}, ${time} Uhr`),
  records,

  storeKinds: {
    "nginx-access-log": "Zugriffsprotokolle der Webserver",
    "login-jsonl": "Anmeldeprotokolle des Beauskunftungssystems",
    "retrieval-protocol-db": "Abrufprotokolle der Melderegisterauskünfte",
    "servicedesk-db": "Ticketsystem des Servicecenters",
    maildir: "E-Mail-Postfächer",
    "call-records-csv": "Verbindungsdaten der Telefonanlage",
    "records-management": "Schriftgut im Verwaltungsinformationssystem VISkompakt",
  } satisfies Record<StoreKind, string>,

  roles: {
    subject: "betroffene Person",
    requester: "abrufende Person",
    "looked-up": "gesuchte Person",
    sender: "Absender",
    recipient: "Empfänger",
    cc: "in Kopie",
    customer: "Anfragende Person",
  } satisfies Record<Role, string>,

  identifierKinds: {
    email: "E-Mail-Adresse",
    name: "Name",
    phone: "Telefonnummer",
    userName: "Benutzername",
    ip: "IP-Adresse",
    birthDate: "Geburtsdatum",
    postalAddress: "Postanschrift",
  } satisfies Record<IdentifierKind, string>,

  files: {
    accessArchive: (reference: string) => `Auskunft-${reference}.zip`,
    portabilityArchive: (reference: string) => `Datenuebertragung-${reference}.zip`,
    letter: "Auskunftsschreiben.pdf",
    letterDescription: "dieses Schreiben",
    index: "eine Übersicht und alle Datensätze zum Lesen im Browser, auch ohne Internetverbindung",
    store: (label: string, n: number) => `${label}: ${records(n)}, als JSON- und als CSV-Datei`,
    storeRedacted: (n: number) => `davon ${records(n)} mit Schwärzungen`,
    schemas: "Beschreibungen des Aufbaus jeder JSON-Datei (JSON Schema)",
    manifest: "Prüfsummen (SHA-256) aller Dateien, mit denen Sie prüfen können, dass nichts verändert wurde",
  },

  letter: {
    title: (reference: string) => `Auskunft nach Art. 15 DS-GVO, Aktenzeichen ${reference}`,
    byEmail: (email: string) => `per E-Mail an ${email}`,
    info: {
      reference: "Aktenzeichen",
      received: "Ihr Antrag vom",
      date: "Datum",
      contact: "Kontakt",
      contactName: "Datenschutzbeauftragter",
      phone: "Telefon",
      email: "E-Mail",
    },
    subject: "Auskunft über Ihre personenbezogenen Daten (Art. 15 DS-GVO)",
    /** A request filed for someone else: the letter goes to the representative and names both (ADR 0011). */
    representation: {
      roles: {
        authorised: "Bevollmächtigte/r",
        parent: "Sorgeberechtigte/r",
        custodian: "rechtliche/r Betreuer/in",
        attorney: "Rechtsanwältin/Rechtsanwalt",
      } satisfies Record<RepresentativeRole, string>,
      dataSubject: "Betroffene Person",
      subject: (name: string) => `Auskunft über die personenbezogenen Daten von ${name} (Art. 15 DS-GVO)`,
      intro: (role: string, name: string) =>
        `Ihr Antrag als ${role} für ${name}: Wir haben Ihre Vertretungsmacht geprüft und beantworten den Antrag Ihnen gegenüber. Die Auskunft betrifft die Daten von ${name}. Wo dieses Schreiben „Sie“ und „Ihre Daten“ sagt, sind ${name} und die Daten von ${name} gemeint; die Rechte unter „Ihre Rechte“ stehen ${name} zu, und Sie können sie im Rahmen Ihrer Vertretungsmacht geltend machen.`,
    },
    salutation: (name: string | undefined) => (name ? `Guten Tag ${name},` : "Guten Tag,"),
    intro: (receivedAt: string, kinds: string) =>
      `am ${receivedAt} haben Sie bei uns beantragt: ${kinds}. Wir haben alle Systeme des Thüringer Landesrechenzentrums (TLRZ) durchsucht, ` +
      "in denen personenbezogene Daten gespeichert sein können. Mit diesem Schreiben erhalten Sie unsere Auskunft; die Kopie Ihrer Daten erhalten Sie als ZIP-Archiv.",
    /** Where the portal cannot confirm that every store was searched completely. */
    introSearched: (receivedAt: string, kinds: string) =>
      `am ${receivedAt} haben Sie bei uns beantragt: ${kinds}. Wir haben die Systeme des Thüringer Landesrechenzentrums (TLRZ) durchsucht, ` +
      "in denen personenbezogene Daten gespeichert sein können. Mit diesem Schreiben erhalten Sie unsere Auskunft; die Kopie Ihrer Daten erhalten Sie als ZIP-Archiv.",
    unsearched: (stores: string) =>
      `Nicht vollständig durchsuchen konnten wir: ${stores}. Zu diesen Beständen ist diese Auskunft daher möglicherweise unvollständig.`,
    otherKinds: (kinds: string) =>
      `Über Ihre weiteren Anliegen (${kinds}) entscheiden wir gesondert; dazu erhalten Sie ein eigenes Schreiben.`,

    confirmation: {
      heading: "Verarbeiten wir Daten über Sie?",
      yes: "Ja. Wir verarbeiten personenbezogene Daten über Sie.",
      released: (n: number) => `Wir haben ${records(n)} gefunden, die Sie vollständig in Kopie erhalten.`,
      /** Said where the portal cannot confirm that nothing else was found: it claims no completeness. */
      releasedNeutral: (n: number) =>
        `Sie erhalten ${records(n)} in Kopie. Das sind die Daten über Sie, die der Auskunftspflicht unterliegen.`,
      releasedWithLimits: (n: number) =>
        `Sie erhalten ${records(n)} in Kopie. Zu einem Teil Ihrer Daten ist die Auskunft eingeschränkt; das erklären wir im Abschnitt „Einschränkungen der Auskunft“.`,
      limitedOnly:
        "Eine Kopie dieser Daten erhalten Sie nicht: Die Auskunft ist eingeschränkt; das erklären wir im Abschnitt „Einschränkungen der Auskunft“.",
      /** Only where every store was searched completely and nothing was withheld. */
      no: "Nein. Außer den Angaben zu diesem Antrag verarbeiten wir keine personenbezogenen Daten über Sie. Wir haben nach allen Angaben gesucht, die Sie uns genannt haben, und nichts gefunden.",
      /** The wording authorities use where an answer must not reveal whether further data exist. */
      none: "Außer den Angaben zu diesem Antrag verarbeiten wir über Sie keine personenbezogenen Daten, die der Auskunftspflicht unterliegen.",
    },

    unproven: {
      heading: "Angaben, die Sie noch nicht bestätigt haben",
      intro: (kinds: string) =>
        `Zu Angaben, die Sie uns genannt, aber noch nicht als Ihre bestätigt haben (${kinds}), können weitere Daten bei uns gespeichert sein. Solche Daten geben wir nur heraus, wenn feststeht, dass sie Ihnen gehören; in dieser Auskunft sind sie nicht enthalten.`,
      email: (page: string) =>
        `E-Mail-Adresse: Bestätigen Sie die Adresse auf der Seite Ihres Vorgangs (${page}) mit dem Code, den wir Ihnen an diese Adresse senden. Danach beziehen wir die Daten zu dieser Adresse in die Auskunft ein.`,
      other: (kinds: string) =>
        `${kinds}: Wenden Sie sich an unseren Datenschutzbeauftragten (Kontakt oben). Wir prüfen dann, ob die Angabe zu Ihnen gehört, zum Beispiel anhand Ihres Ausweises, den wir nur ansehen und nicht kopieren. Danach beziehen wir die Daten zu dieser Angabe in die Auskunft ein.`,
      casePage: "im Rechteportal unter „Meine Vorgänge“",
    },

    activities: {
      heading: "Ihre Daten im Einzelnen",
      intro:
        "Für jede Verarbeitung, zu der wir Daten über Sie haben, nennen wir Ihnen, wofür wir die Daten nutzen, welche Arten von Daten es sind, wer sie erhält, wie lange wir sie speichern und woher sie stammen.",
      found: (n: number, stores: string) => `Gefunden: ${records(n)} in: ${stores}.`,
      withheld: (n: number) => `Nicht herausgegeben: ${records(n)} (siehe „Einschränkungen der Auskunft“).`,
      purposes: "Zwecke",
      categories: "Arten von Daten",
      recipients: "Empfänger",
      storage: "Speicherdauer",
      source: "Herkunft der Daten",
      objection: "Widerspruch",
      portability: "Für diese Daten gilt auch das Recht auf Datenübertragbarkeit (Art. 20 DS-GVO).",
      portalFound:
        "Die Angaben zu Ihrem Antrag und unsere Entscheidungen darüber speichern wir im Rechteportal.",
      /** Released records older than their store's rule allows on the letter's date (ADR 0011). */
      overdue: (label: string, n: number, oldest: string) =>
        `${label}: ${n === 1 ? "Ein Datensatz in Ihrer Kopie ist" : `${n.toLocaleString("de-DE")} Datensätze in Ihrer Kopie sind`} älter, als diese Speicherdauer erlaubt (der älteste vom ${oldest}). ${n === 1 ? "Er hätte" : "Sie hätten"} bereits gelöscht sein müssen. Sie erhalten ${n === 1 ? "ihn" : "sie"} trotzdem, denn die Auskunft umfasst alle Daten, die wir tatsächlich gespeichert haben. ${n === 1 ? "Er ist" : "Sie sind"} zur Löschung überfällig und ${n === 1 ? "wird" : "werden"} gelöscht, nachdem Ihr Antrag beantwortet ist.`,
      held: (label: string, n: number) =>
        `${label}: ${n === 1 ? "Einen Datensatz" : `${n.toLocaleString("de-DE")} Datensätze`} in Ihrer Kopie bewahren wir länger als diese Speicherdauer auf, weil ${n === 1 ? "seine" : "ihre"} Verarbeitung eingeschränkt ist (Art. 18 DS-GVO); gelöscht ${n === 1 ? "wird er" : "werden sie"}, sobald die Einschränkung endet.`,
      namedRecipients: "Empfänger, die in Ihren Datensätzen genannt sind",
      moreRecipients: (n: number) =>
        `und ${n === 1 ? "ein weiterer Empfänger" : `${n.toLocaleString("de-DE")} weitere Empfänger`}, die in der Kopie Ihrer Daten genannt sind`,
      thirdCountries:
        "Übermittlung in Drittländer (Art. 15 Abs. 2 DS-GVO): Wir übermitteln Ihre Daten nicht in Länder außerhalb der Europäischen Union und des Europäischen Wirtschaftsraums und nicht an internationale Organisationen. Alle genannten Systeme betreibt das TLRZ in seinen eigenen Rechenzentren in Thüringen.",
    },

    restrictions: {
      heading: "Einschränkungen der Auskunft",
      redacted: (n: number, legalReference: string, explanation: string) =>
        `In ${n === 1 ? "einem Datensatz" : `${n.toLocaleString("de-DE")} Datensätzen`} haben wir einzelne Angaben geschwärzt (${legalReference}). ${explanation}`,
      marked:
        "Jede Schwärzung ist in der Kopie an ihrer Stelle gekennzeichnet, zum Beispiel als „[geschwärzt: Art. 15 Abs. 4 DS-GVO]“.",
      group: (activity: string, n: number, legalReference: string) =>
        `${activity}: ${records(n)} geben wir nicht heraus. Rechtsgrundlage: ${legalReference}.`,
      reasons: (reasons: string) => `Begründung: ${reasons}`,
      review: (date: string) =>
        `Wir prüfen spätestens am ${date}, ob der Grund noch besteht, und geben die Daten heraus, sobald er entfällt.`,
      /** § 21(4) ThürDSG: neither the ground nor any reviewer's text, neither the activity nor a count. */
      omitted:
        "Zu weiteren Daten geben wir keine Auskunft. Die tatsächlichen und rechtlichen Gründe dafür teilen wir Ihnen nicht mit, weil ihre Mitteilung den Zweck der Entscheidung gefährden würde (§ 21 Abs. 4 ThürDSG).",
      /** § 21(5) ThürDSG: the person's right, not the authority's; said wherever a § 21 ground restricted the answer. */
      tlfdiRight: (authority: string, page: string) =>
        `Soweit wir Ihnen nach § 21 ThürDSG keine Auskunft erteilen, haben Sie das Recht zu verlangen, dass wir die Auskunft stattdessen der Aufsichtsbehörde erteilen (${authority}); sie prüft dann, ob unsere Entscheidung rechtmäßig ist (§ 21 Abs. 5 ThürDSG). Das können Sie auf der Seite Ihres Vorgangs verlangen (${page}) oder formlos per Brief oder E-Mail an uns.`,
      complaint:
        "Gegen jede Einschränkung können Sie sich bei der Aufsichtsbehörde beschweren; die Anschrift finden Sie unter „Ihre Rechte“.",
    },

    copy: {
      heading: "Kopie Ihrer Daten",
      intro: "Die Kopie Ihrer Daten erhalten Sie als ZIP-Archiv. Es enthält:",
      empty:
        "Das Archiv enthält nur dieses Schreiben und eine Übersicht, denn Datensätze in Kopie geben wir Ihnen mit dieser Auskunft nicht.",
      formats:
        "CSV-Dateien öffnen Sie mit einem Tabellenprogramm, JSON-Dateien mit jedem Texteditor oder einem anderen Programm. Beide enthalten dieselben Daten.",
      portability:
        "Weil Sie auch die Übertragung Ihrer Daten beantragt haben, erhalten Sie die Daten, die Sie uns mit Ihrer Einwilligung gegeben haben, zusätzlich in einem eigenen Archiv im maschinenlesbaren JSON-Format:",
      noPortability:
        "Sie haben auch die Übertragung Ihrer Daten beantragt. Dieses Recht gilt nur für Daten, die Sie uns mit Ihrer Einwilligung oder für einen Vertrag gegeben haben; solche Daten haben wir über Sie nicht gefunden.",
    },

    automated: {
      heading: "Keine automatisierte Entscheidung",
      text: "Wir treffen keine Entscheidung über Sie, die ausschließlich auf einer automatisierten Verarbeitung beruht, und wir erstellen kein Profil von Ihnen (Art. 22 DS-GVO).",
    },

    rights: {
      heading: "Ihre Rechte",
      intro: "Sie haben gegenüber uns folgende Rechte:",
      rectification:
        "Berichtigung (Art. 16 DS-GVO): Sind Angaben über Sie falsch oder unvollständig, berichtigen oder ergänzen wir sie.",
      erasure:
        "Löschung (Art. 17 DS-GVO): Daten, die wir nicht mehr brauchen oder nicht speichern dürfen, löschen wir. Müssen wir Daten noch aufbewahren, teilen wir Ihnen mit, warum und bis wann.",
      restriction:
        "Einschränkung der Verarbeitung (Art. 18 DS-GVO): Zum Beispiel während wir prüfen, ob Angaben richtig sind, bewahren wir Ihre Daten nur noch auf und nutzen sie sonst nicht.",
      objection:
        "Widerspruch (Art. 21 DS-GVO): Aus Gründen, die sich aus Ihrer besonderen Situation ergeben, können Sie einer Verarbeitung widersprechen. Was für die einzelnen Verarbeitungen gilt, steht oben jeweils unter „Widerspruch“.",
      withdrawal:
        "Widerruf einer Einwilligung (Art. 7 Abs. 3 DS-GVO): Eine Einwilligung, etwa im Kontaktformular, können Sie jederzeit widerrufen. Was bis dahin geschehen ist, bleibt rechtmäßig.",
      portability:
        "Datenübertragbarkeit (Art. 20 DS-GVO): Daten, die Sie uns mit Ihrer Einwilligung gegeben haben, erhalten Sie auf Wunsch in einem maschinenlesbaren Format.",
      how: "Sie können diese Rechte über das Rechteportal, per Brief, per E-Mail oder telefonisch geltend machen; das ist kostenlos.",
      complaint:
        "Beschwerde (Art. 77 DS-GVO): Sie können sich jederzeit bei der Aufsichtsbehörde beschweren:",
      complaintPage: (url: string) =>
        `Das Rechteportal leitet Ihre Beschwerde auf Wunsch an die Aufsichtsbehörde weiter, auf Ihren Wunsch mit der Akte dieses Vorgangs: ${url}`,
      dpo: "Unseren Datenschutzbeauftragten erreichen Sie hier:",
    },

    closing: "Mit freundlichen Grüßen",
    machine: "Dieses Schreiben wurde elektronisch erstellt und ist ohne Unterschrift gültig.",
  },

  html: {
    title: (reference: string) => `Ihre Daten beim TLRZ – Aktenzeichen ${reference}`,
    intro: (date: string) =>
      `Diese Seite gehört zur Auskunft vom ${date}. Sie zeigt oben die Auskunft selbst und darunter jeden Datensatz, den wir über Sie gefunden haben. Sie funktioniert ohne Internetverbindung.`,
    contents: "Inhalt",
    answer: "Die Auskunft",
    overview: "Übersicht der Daten",
    table: {
      store: "Datenbestand",
      kind: "Art",
      records: "Datensätze",
      redacted: "mit Schwärzungen",
      files: "Dateien",
    },
    storeHeading: (label: string, store: string) => `${label} (${store})`,
    storeIntro: (n: number, activities: string) => `${records(n)}. Verarbeitung: ${activities}.`,
    times: "Alle Zeitangaben in deutscher Zeit (MEZ oder MESZ).",
    meta: {
      number: "Nr.",
      ref: "Kennung im System",
      activity: "Verarbeitung",
      recordedAt: "Zeitpunkt",
      role: "Ihre Rolle",
      matched: "Gefunden über",
      redactions: "Schwärzungen",
    },
    empty: "(leer)",
    csvNote:
      "In den CSV-Dateien steht vor Text, der mit =, +, - oder @ beginnt, ein Apostroph, damit Tabellenprogramme ihn nicht als Formel ausführen. Die JSON-Dateien enthalten die Daten unverändert.",
    noRecords: "Dieses Archiv enthält keine Datensätze.",
  },

  portability: {
    title: (reference: string) => `Datenübertragung nach Art. 20 DS-GVO – Aktenzeichen ${reference}`,
  },

  /**
   * The reasons a letter gives for a withholding where the reviewer wrote no text for the person:
   * the statute's own reason, never the internal reasoning.
   */
  groundReasons: {
    "public-security":
      "Die Auskunft würde die öffentliche Sicherheit gefährden oder dem Wohl des Bundes oder eines Landes Nachteile bereiten; Ihr Interesse an der Auskunft muss dahinter zurücktreten.",
    secrecy:
      "Die Daten müssen nach einer Rechtsvorschrift oder ihrem Wesen nach geheim gehalten werden, vor allem wegen überwiegender Rechte anderer Personen.",
    prosecution: "Die Auskunft würde die Verhütung oder Verfolgung von Straftaten beeinträchtigen.",
    "security-control-only":
      "Die Daten sind ausschließlich zur Datensicherung oder zur Datenschutzkontrolle gespeichert.",
    "authority-consent":
      "Die Daten betreffen eine Übermittlung an oder von einer Sicherheitsbehörde, die der Auskunft nicht zugestimmt hat.",
    "information-block": "Für die Daten gilt eine Auskunftssperre.",
    "third-party-rights": "Die Daten betreffen andere Personen, deren Rechte hier schwerer wiegen.",
    "identity-unconfirmed": "Es steht noch nicht fest, dass die Daten Ihnen gehören.",
  } satisfies Record<RestrictionGroundId, string>,
};

export type AnswerTexts = typeof answersDe;
