/**
 * The register of processing activities (Art. 30 DS-GVO) as data. It feeds the public page
 * /datenschutz, the Art. 15(1) information in every access answer (each finding belongs to an
 * activity) and the choice of retention rules and source stores. Facts come from the data centre's
 * two privacy notices; the wording is our own.
 */
import type { Lang } from "./languages";
import type { RetentionRuleId } from "./retention";
import type { StoreKind } from "./store-kinds";

/** A text in every language of the portal. */
export type Localized = Record<Lang, string>;

interface LegalBasis {
  /** Provisions of the DS-GVO, cited in German as in the law's official text. */
  gdpr: string[];
  /** Provisions of federal and Thuringian law (and binding administrative rules). */
  national: string[];
  text: Localized;
}

export interface ProcessingActivity {
  id: ProcessingActivityId;
  name: Localized;
  purposes: Localized[];
  legalBasis: LegalBasis;
  dataCategories: Localized[];
  dataSubjectCategories: Localized[];
  /** Named recipients (Art. 15(1)(c), CJEU C-154/21), including units inside the data centre. */
  recipients: Localized[];
  source: Localized;
  retentionRuleIds: RetentionRuleId[];
  /** The source stores that hold this activity's data; empty for the portal's own database. */
  storeKinds: StoreKind[];
  objectionApplies: boolean;
  /** Why an objection (Art. 21) does or does not stop this processing — recorded even where it cannot. */
  objectionNote: Localized;
  /** Art. 20 covers only automated processing based on consent or contract. */
  portabilityApplies: boolean;
  /** Art. 22: no activity of the data centre decides anything about a person automatically. */
  automatedDecision: false;
}

export const processingActivityIds = [
  "website-visit",
  "beauskunftung-login",
  "retrieval-protocol",
  "contact-form",
  "telephone",
  "email",
  "letter",
  "fax",
  "support-ticket",
  "records-management",
  "rechteportal",
] as const;
export type ProcessingActivityId = (typeof processingActivityIds)[number];
/** The activities whose data lie in source stores: all but the portal's own processing, which no store holds. */
export type StoreActivityId = Exclude<ProcessingActivityId, "rechteportal">;

interface PostalAddress {
  street: string;
  postalCode: string;
  city: string;
}

export interface ContactDetails {
  name: Localized;
  address: PostalAddress;
  postBox?: PostalAddress;
  phone: string;
  fax?: string;
  email: string;
  web?: string;
}

const tlrzAddress: PostalAddress = { street: "Ludwig-Erhard-Ring 8", postalCode: "99099", city: "Erfurt" };
const tlrzPostBox: PostalAddress = { street: "Postfach 80 03 05", postalCode: "99029", city: "Erfurt" };

export const controller: ContactDetails & { switchboard: string } = {
  name: { de: "Thüringer Landesrechenzentrum (TLRZ)", en: "Thuringian State Data Centre (TLRZ)" },
  address: tlrzAddress,
  postBox: tlrzPostBox,
  phone: "+49 361 57-3635800",
  fax: "+49 361 57-3635848",
  email: "poststelle@tlrz.thueringen.de",
  switchboard: "+49 361 57-100",
};

export const dataProtectionOfficer: ContactDetails = {
  name: {
    de: "Datenschutzbeauftragter des Thüringer Landesrechenzentrums",
    en: "Data Protection Officer of the Thuringian State Data Centre",
  },
  address: tlrzAddress,
  postBox: tlrzPostBox,
  phone: "+49 361 57-3635837",
  email: "TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de",
};

export const supervisoryAuthority: ContactDetails = {
  name: {
    de: "Thüringer Landesbeauftragter für den Datenschutz und die Informationsfreiheit (TLfDI)",
    en: "Thuringian State Commissioner for Data Protection and Freedom of Information (TLfDI)",
  },
  address: { street: "Häßlerstraße 8", postalCode: "99096", city: "Erfurt" },
  phone: "+49 361 57 3112900",
  email: "poststelle@datenschutz.thueringen.de",
  web: "https://www.tlfdi.de",
};

const publicTask = "Art. 6 Abs. 1 UAbs. 1 Buchst. e DS-GVO";
const legalObligation = "Art. 6 Abs. 1 UAbs. 1 Buchst. c DS-GVO";
const nationalRules = "Art. 6 Abs. 2 DS-GVO";
const specialCategories = "Art. 9 Abs. 2 DS-GVO";

const correspondenceBasis: LegalBasis = {
  gdpr: [publicTask, legalObligation, nationalRules, specialCategories],
  national: ["§ 16 Abs. 1 ThürDSG", "§ 16 Abs. 2 ThürDSG", "Thüringer Informationsfreiheitsgesetz (ThürIFG)"],
  text: {
    de:
      "Wer sich an uns wendet, dessen Anliegen bearbeiten wir als Teil unserer öffentlichen Aufgaben. " +
      "Geht es um den Zugang zu amtlichen Informationen, sind wir nach dem Informationsfreiheitsgesetz dazu verpflichtet. " +
      "Enthält eine Nachricht besonders schützenswerte Angaben, etwa zur Gesundheit, verarbeiten wir sie nur, soweit das Anliegen es erfordert.",
    en:
      "When you contact us, handling your concern is part of our public tasks. " +
      "Where you ask for access to official information, the Freedom of Information Act obliges us to answer. " +
      "If a message contains especially sensitive details, such as health data, we use them only as far as your concern requires.",
  },
};

const correspondenceObjection: Localized = {
  de:
    "Spricht Ihre persönliche Lage gegen diese Verarbeitung, können Sie widersprechen. " +
    "Wir beenden sie dann, außer wir weisen zwingende Gründe nach, die schwerer wiegen als Ihre Interessen, " +
    "oder wir brauchen die Daten, um Rechtsansprüche durchzusetzen oder abzuwehren.",
  en:
    "If your personal situation speaks against this processing, you may object. " +
    "We then end it unless we show compelling reasons that outweigh your interests, " +
    "or we need the data to assert or defend legal claims.",
};

const handlingUnits: Localized[] = [
  {
    de: "die für Ihr Anliegen zuständige Organisationseinheit des TLRZ und deren Leitung",
    en: "the TLRZ unit responsible for your concern and its management",
  },
  {
    de: "Systemadministration des TLRZ, nur in festgelegten Fällen zur Wartung der Systeme",
    en: "TLRZ system administrators, only in defined cases for maintaining the systems",
  },
];

const poststelle: Localized = { de: "Poststelle des TLRZ", en: "TLRZ mail room (Poststelle)" };
const servicecenter: Localized = { de: "Servicecenter des TLRZ", en: "TLRZ service desk (Servicecenter)" };

const fromYou: Localized = {
  de: "Von Ihnen selbst; Eingangsdatum und Aktenzeichen vergeben wir.",
  en: "From you; we add the date of receipt and a file reference.",
};

export const processingActivities: readonly ProcessingActivity[] = [
  {
    id: "website-visit",
    name: {
      de: "Aufruf der Websites des Thüringer Beauskunftungssystems",
      en: "Visits to the websites of the Thuringian Beauskunftungssystem",
    },
    purposes: [
      {
        de: "die aufgerufenen Seiten an Ihr Gerät ausliefern",
        en: "delivering the pages you request to your device",
      },
      {
        de: "den Betrieb der Website sicherstellen und Fehler finden",
        en: "keeping the website running and tracing faults",
      },
      {
        de: "Angriffe auf die IT und die Kommunikationstechnik des Freistaats Thüringen erkennen, abwehren und verfolgen",
        en: "detecting, defending against and prosecuting attacks on the IT and communication systems of the Free State of Thuringia",
      },
    ],
    legalBasis: {
      gdpr: [publicTask, nationalRules],
      national: ["§ 16 Abs. 1 ThürDSG", "§ 32 Abs. 1 ThürEGovG"],
      text: {
        de:
          "Ohne diese Daten kann kein Webserver eine Seite ausliefern; das gehört zu unserer öffentlichen Aufgabe. " +
          "Das Thüringer E-Government-Gesetz erlaubt Landesbehörden außerdem, sie zum Schutz vor Angriffen über den Besuch hinaus aufzubewahren.",
        en:
          "No web server can deliver a page without these data; this is part of our public task. " +
          "The Thuringian E-Government Act also allows state authorities to keep them beyond your visit to protect against attacks.",
      },
    },
    dataCategories: [
      { de: "IP-Adresse Ihres Geräts", en: "IP address of your device" },
      { de: "Datum und Uhrzeit des Abrufs", en: "date and time of the request" },
      {
        de: "aufgerufene Adresse und Antwort des Servers (Status, Datenmenge)",
        en: "requested address and the server's response (status, size)",
      },
      { de: "Seite, von der Sie gekommen sind (Referrer)", en: "page you came from (referrer)" },
      { de: "Browser und gegebenenfalls Betriebssystem", en: "browser and, where sent, operating system" },
    ],
    dataSubjectCategories: [
      {
        de: "Besucherinnen und Besucher von tsr.thueringen.de, beaus.thlv.de und beaus.zv.thueringen.doi-de.net",
        en: "visitors of tsr.thueringen.de, beaus.thlv.de and beaus.zv.thueringen.doi-de.net",
      },
    ],
    recipients: [
      {
        de: "niemand außerhalb des TLRZ; nur bei einem Angriff oder einer gesetzlichen Pflicht die zuständigen Strafverfolgungsbehörden",
        en: "no one outside the TLRZ; only after an attack or where the law requires it, the competent law enforcement authorities",
      },
    ],
    source: {
      de: "Vom Webserver beim Abruf erzeugt, aus den Angaben, die Ihr Browser mitsendet.",
      en: "Generated by the web server from what your browser sends with each request.",
    },
    retentionRuleIds: ["web-access-log"],
    storeKinds: ["nginx-access-log"],
    objectionApplies: false,
    objectionNote: {
      de:
        "Ein Widerspruch beendet diese Verarbeitung nicht: Ohne Protokolle lässt sich die Website weder betreiben noch gegen Angriffe schützen, " +
        "und das Gesetz sieht die Speicherung zu diesem Schutz ausdrücklich vor. Diese zwingenden Gründe überwiegen. " +
        "Einen eingehenden Widerspruch prüfen und beantworten wir trotzdem einzeln.",
      en:
        "An objection does not end this processing: without logs the website can neither run nor be protected against attacks, " +
        "and the law expressly provides for storing them for that protection. These compelling grounds prevail. " +
        "We still examine and answer every objection we receive individually.",
    },
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "beauskunftung-login",
    name: {
      de: "Anmeldung am Thüringer Beauskunftungssystem",
      en: "Login to the Thuringian Beauskunftungssystem",
    },
    purposes: [
      {
        de: "prüfen, ob die Person berechtigt ist, das System zu nutzen",
        en: "checking that the person is entitled to use the system",
      },
      {
        de: "unbefugte Zugriffe verhindern und nachvollziehen",
        en: "preventing and tracing unauthorised access",
      },
    ],
    legalBasis: {
      gdpr: [publicTask, legalObligation, nationalRules],
      national: ["§ 16 Abs. 1 ThürDSG", "§ 5 Abs. 3 ThürAGBMG", "§ 51 ThürDSG"],
      text: {
        de:
          "Das Ausführungsgesetz zum Bundesmeldegesetz regelt den Online-Zugang zum Beauskunftungssystem. " +
          "Die Anmeldung zu prüfen und zu protokollieren ist Teil dieses Zugangs.",
        en:
          "The Thuringian act implementing the Federal Registration Act governs online access to the Beauskunftungssystem. " +
          "Checking and logging each login is part of providing that access.",
      },
    },
    dataCategories: [
      { de: "Vor- und Nachname", en: "first and last name" },
      { de: "Benutzername", en: "user name" },
      { de: "Datum und Uhrzeit der Anmeldung", en: "date and time of the login" },
      { de: "IP-Adresse", en: "IP address" },
    ],
    dataSubjectCategories: [
      {
        de: "registrierte Nutzerinnen und Nutzer des Beauskunftungssystems (Beschäftigte berechtigter Stellen)",
        en: "registered users of the Beauskunftungssystem (staff of authorised bodies)",
      },
    ],
    recipients: [
      {
        de: "niemand außerhalb des TLRZ; die Protokolle werden nur für Datenschutzkontrolle und Sicherheit ausgewertet",
        en: "no one outside the TLRZ; the logs are only analysed for data-protection control and security",
      },
    ],
    source: {
      de: "Beim Anmelden erzeugt, aus Ihrer Eingabe und Ihrem Benutzerkonto.",
      en: "Generated at login from what you enter and from your user account.",
    },
    retentionRuleIds: ["login-log"],
    storeKinds: ["login-jsonl"],
    objectionApplies: false,
    objectionNote: {
      de:
        "Ein Widerspruch beendet diese Verarbeitung nicht: Ohne Anmeldeprotokoll könnte niemand prüfen, wer auf Meldedaten zugegriffen hat. " +
        "Das Gesetz schreibt diese Protokolle vor; das überwiegt. Einen eingehenden Widerspruch prüfen und beantworten wir trotzdem einzeln.",
      en:
        "An objection does not end this processing: without login logs no one could check who accessed registration data. " +
        "The law requires these logs, and that prevails. We still examine and answer every objection we receive individually.",
    },
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "retrieval-protocol",
    name: {
      de: "Melderegisterauskünfte über das Beauskunftungssystem (Abrufprotokolle)",
      en: "Population register look-ups via the Beauskunftungssystem (retrieval protocols)",
    },
    purposes: [
      {
        de: "Anfragen berechtigter Stellen an das zuständige Melderegister weiterleiten und die Antwort zurückgeben",
        en: "forwarding requests of authorised bodies to the competent population register and returning its answer",
      },
      {
        de: "jeden Abruf protokollieren, damit seine Rechtmäßigkeit später geprüft werden kann",
        en: "logging every look-up so that its lawfulness can be checked later",
      },
    ],
    legalBasis: {
      gdpr: [legalObligation, publicTask, nationalRules],
      national: ["§ 40 BMG", "§ 5 Abs. 3 ThürAGBMG", "§ 16 Abs. 1 ThürDSG"],
      text: {
        de:
          "Das Bundesmeldegesetz verpflichtet uns, jeden automatisierten Abruf mit Anfrage und Antwort zu protokollieren. " +
          "Den Abruf selbst regelt das Thüringer Ausführungsgesetz zum Bundesmeldegesetz.",
        en:
          "The Federal Registration Act obliges us to log every automated look-up together with its request and answer. " +
          "The look-up itself is governed by the Thuringian act implementing that law.",
      },
    },
    dataCategories: [
      {
        de: "Angaben der abrufenden Person: Benutzername, Vor- und Nachname, Anschrift, Telefon- und Faxnummer, E-Mail-Adresse",
        en: "details of the person making the look-up: user name, first and last name, address, telephone and fax number, e-mail address",
      },
      {
        de: "Angaben zur gesuchten Person aus Anfrage und Antwort, etwa Name, Geburtsdatum und Anschrift",
        en: "details of the person looked up, taken from request and answer, such as name, date of birth and address",
      },
      { de: "Zeitpunkt des Abrufs und anfragende Stelle", en: "time of the look-up and the requesting body" },
    ],
    dataSubjectCategories: [
      {
        de: "Personen, die Melderegisterauskünfte abrufen",
        en: "persons who make population register look-ups",
      },
      {
        de: "Personen, nach denen im Melderegister gesucht wird",
        en: "persons looked up in the population register",
      },
    ],
    recipients: [
      {
        de: "die Auskunft gebende Stelle: die Meldebehörde oder das zentrale Melderegister des jeweiligen Landes",
        en: "the body providing the information: the registration office or the central population register of the Land concerned",
      },
    ],
    source: {
      de: "Die Angaben der abrufenden Person stammen aus ihrer Anfrage, die Angaben der gesuchten Person aus der Anfrage und der Antwort des Melderegisters.",
      en: "The requesting person's details come from their request; the details of the person looked up come from the request and the population register's answer.",
    },
    retentionRuleIds: ["retrieval-protocol"],
    storeKinds: ["retrieval-protocol-db"],
    objectionApplies: false,
    objectionNote: {
      de:
        "Ein Widerspruch ist hier nicht möglich: Die Protokolle führen wir, weil das Bundesmeldegesetz es verlangt, " +
        "und gegen die Erfüllung einer gesetzlichen Pflicht gibt es kein Widerspruchsrecht. Einen eingehenden Widerspruch beantworten wir trotzdem mit Begründung.",
      en:
        "An objection is not possible here: we keep the protocols because the Federal Registration Act requires it, " +
        "and there is no right to object to compliance with a legal obligation. We still answer every objection we receive, with reasons.",
    },
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "contact-form",
    name: { de: "Kontaktformular", en: "Contact form" },
    purposes: [
      {
        de: "Ihre Nachricht beantworten oder Ihren Antrag bearbeiten",
        en: "answering your message or handling your application",
      },
      { de: "Rückfragen zu Ihrem Anliegen klären", en: "clearing up follow-up questions about your concern" },
    ],
    legalBasis: {
      gdpr: ["Art. 6 Abs. 1 UAbs. 1 Buchst. a DS-GVO", "Art. 7 DS-GVO", publicTask],
      national: [
        "§ 16 Abs. 1 ThürDSG",
        "Richtlinie über die Aufbewahrung von Schriftgut in der Verwaltung des Freistaats Thüringen",
      ],
      text: {
        de:
          "Beim Absenden willigen Sie ausdrücklich ein, dass wir Ihre Angaben übermitteln und verarbeiten. " +
          "Nach Abschluss bewahren wir den Vorgang so lange auf, wie es die Thüringer Richtlinie für die Aufbewahrung von Schriftgut vorsieht.",
        en:
          "When you send the form, you expressly consent to us transmitting and using your details. " +
          "Once the matter is closed, we keep it for as long as the Thuringian directive on keeping administrative records requires.",
      },
    },
    dataCategories: [
      { de: "Name", en: "name" },
      { de: "E-Mail-Adresse", en: "e-mail address" },
      {
        de: "Inhalt Ihrer Nachricht und alle Angaben, die Sie darin machen",
        en: "content of your message and everything you state in it",
      },
      { de: "Zeitpunkt der Übermittlung", en: "time of sending" },
    ],
    dataSubjectCategories: [
      { de: "Personen, die das Kontaktformular nutzen", en: "persons who use the contact form" },
      { de: "Personen, die in einer Nachricht genannt werden", en: "persons mentioned in a message" },
    ],
    recipients: [servicecenter, ...handlingUnits],
    source: fromYou,
    retentionRuleIds: ["contact-form", "mailbox-support"],
    storeKinds: ["servicedesk-db", "maildir"],
    objectionApplies: true,
    objectionNote: {
      de:
        "Ihre Einwilligung können Sie jederzeit widerrufen; ein Widerspruch ist dafür nicht nötig. " +
        "Gegen die Aufbewahrung nach Abschluss, die auf unserer öffentlichen Aufgabe beruht, können Sie aus Gründen Ihrer besonderen Situation widersprechen; " +
        "wir prüfen dann, ob zwingende Gründe für die weitere Aufbewahrung überwiegen.",
      en:
        "You can withdraw your consent at any time; no objection is needed for that. " +
        "You may object, on grounds relating to your particular situation, to our keeping the closed matter as part of our public task; " +
        "we then examine whether compelling grounds for keeping it prevail.",
    },
    portabilityApplies: true,
    automatedDecision: false,
  },
  {
    id: "telephone",
    name: {
      de: "Telefonische Kontaktaufnahme und Behördentelefonzentrale",
      en: "Telephone calls and the state authorities' switchboard",
    },
    purposes: [
      {
        de: "Anrufe annehmen, vermitteln und Ihre Fragen beantworten",
        en: "taking and putting through calls and answering your questions",
      },
      {
        de: "ein Anliegen, das schriftlich beantwortet werden soll, aufnehmen und bearbeiten",
        en: "recording and handling a concern that you want answered in writing",
      },
      {
        de: "die Telefonanlage betreiben und Störungen klären",
        en: "operating the telephone system and resolving faults",
      },
    ],
    legalBasis: {
      gdpr: [publicTask, nationalRules],
      national: ["§ 16 Abs. 1 ThürDSG"],
      text: {
        de: "Telefonisch erreichbar zu sein und Anrufe an andere Landesbehörden zu vermitteln gehört zu unseren öffentlichen Aufgaben.",
        en: "Being reachable by telephone and putting calls through to other state authorities is part of our public tasks.",
      },
    },
    dataCategories: [
      {
        de: "Ihre Rufnummer, sofern Sie sie nicht unterdrücken",
        en: "your telephone number, unless you withhold it",
      },
      {
        de: "Zeitpunkt und Dauer des Anrufs (keine Gesprächsinhalte)",
        en: "time and duration of the call (no content)",
      },
      {
        de: "bei einem schriftlich zu beantwortenden Anliegen: Ihre Kontaktdaten und Ihr Anliegen",
        en: "for a concern to be answered in writing: your contact details and your concern",
      },
    ],
    dataSubjectCategories: [
      { de: "Anruferinnen und Anrufer", en: "callers" },
      {
        de: "Anrufende über die zentrale Behördeneinwahl",
        en: "callers using the central switchboard of the state authorities",
      },
    ],
    recipients: [
      {
        de: "bei Vermittlung über die Behördentelefonzentrale: die Landesbehörde, zu der wir Sie verbinden",
        en: "when we put you through via the switchboard: the state authority we connect you to",
      },
      ...handlingUnits,
    ],
    source: {
      de: "Rufnummer, Zeitpunkt und Dauer übermittelt das Telefonnetz; alles Weitere erfahren wir von Ihnen.",
      en: "Your number, the time and the duration come from the telephone network; everything else comes from you.",
    },
    retentionRuleIds: ["call-record", "records-management"],
    storeKinds: ["call-records-csv", "records-management"],
    objectionApplies: true,
    objectionNote: correspondenceObjection,
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "email",
    name: {
      de: "Kontakt per E-Mail (Poststelle und Support)",
      en: "Contact by e-mail (mail room and support)",
    },
    purposes: [
      {
        de: "Ihre E-Mail beantworten und Ihr Anliegen bearbeiten",
        en: "answering your e-mail and handling your concern",
      },
      {
        de: "bei E-Mails an den Support: ein Ticket anlegen und den Eingang bestätigen",
        en: "for e-mails to support: opening a ticket and confirming receipt",
      },
      { de: "Schutz vor Werbung und Schadprogrammen durch Filter", en: "filtering out spam and malware" },
    ],
    legalBasis: correspondenceBasis,
    dataCategories: [
      { de: "Ihre E-Mail-Adresse", en: "your e-mail address" },
      {
        de: "Inhalt der E-Mail und Anhänge mit allen Angaben darin, etwa Name und Telefonnummer",
        en: "content and attachments of the e-mail with everything in them, such as name and telephone number",
      },
      { de: "weitere Empfängerinnen und Empfänger in Kopie", en: "other recipients in copy" },
      { de: "Zeitpunkt des Versands und Eingangs", en: "time of sending and receipt" },
    ],
    dataSubjectCategories: [
      { de: "Absenderinnen und Absender von E-Mails", en: "senders of e-mails" },
      {
        de: "Personen, die in einer E-Mail genannt oder in Kopie gesetzt sind",
        en: "persons mentioned in or copied on an e-mail",
      },
    ],
    recipients: [poststelle, servicecenter, ...handlingUnits],
    source: fromYou,
    retentionRuleIds: ["mailbox-poststelle", "mailbox-support", "records-management"],
    storeKinds: ["maildir", "records-management"],
    objectionApplies: true,
    objectionNote: correspondenceObjection,
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "letter",
    name: { de: "Kontakt per Brief", en: "Contact by letter" },
    purposes: [
      {
        de: "Ihren Brief beantworten und Ihr Anliegen bearbeiten",
        en: "answering your letter and handling your concern",
      },
      {
        de: "das Papieroriginal aufbewahren, solange die Aufbewahrungsfrist läuft",
        en: "keeping the paper original while the retention period runs",
      },
    ],
    legalBasis: correspondenceBasis,
    dataCategories: [
      { de: "Name und Anschrift", en: "name and postal address" },
      { de: "Inhalt des Briefs und alle Angaben darin", en: "content of the letter and everything in it" },
      { de: "Eingangsdatum", en: "date of receipt" },
    ],
    dataSubjectCategories: [
      { de: "Absenderinnen und Absender von Briefen", en: "senders of letters" },
      { de: "Personen, die in einem Brief genannt werden", en: "persons mentioned in a letter" },
    ],
    recipients: [poststelle, ...handlingUnits],
    source: fromYou,
    retentionRuleIds: ["records-management"],
    storeKinds: ["records-management"],
    objectionApplies: true,
    objectionNote: correspondenceObjection,
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "fax",
    name: { de: "Kontakt per Fax", en: "Contact by fax" },
    purposes: [
      {
        de: "Ihr Fax beantworten und Ihr Anliegen bearbeiten",
        en: "answering your fax and handling your concern",
      },
    ],
    legalBasis: correspondenceBasis,
    dataCategories: [
      { de: "Ihre Faxnummer", en: "your fax number" },
      {
        de: "Inhalt des Faxes (als PDF-Datei) und alle Angaben darin",
        en: "content of the fax (as a PDF file) and everything in it",
      },
      { de: "Eingangszeitpunkt", en: "time of receipt" },
    ],
    dataSubjectCategories: [
      { de: "Absenderinnen und Absender von Faxen", en: "senders of faxes" },
      { de: "Personen, die in einem Fax genannt werden", en: "persons mentioned in a fax" },
    ],
    recipients: [poststelle, ...handlingUnits],
    source: {
      de: "Von Ihnen selbst; Ihr Fax erreicht uns als PDF-Datei über unseren Mailserver, ein Faxgerät gibt es nicht.",
      en: "From you; your fax reaches us as a PDF file through our mail server, as we have no fax machine.",
    },
    retentionRuleIds: ["mailbox-poststelle", "records-management"],
    storeKinds: ["maildir", "records-management"],
    objectionApplies: true,
    objectionNote: correspondenceObjection,
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "support-ticket",
    name: {
      de: "Supportanfragen im Ticketsystem des Servicecenters",
      en: "Support requests in the service desk ticket system",
    },
    purposes: [
      {
        de: "Supportanfragen erfassen, verteilen und bearbeiten",
        en: "recording, assigning and handling support requests",
      },
      {
        de: "Ihnen eine Ticketnummer und Nachrichten zum Stand senden",
        en: "sending you a ticket number and status updates",
      },
    ],
    legalBasis: correspondenceBasis,
    dataCategories: [
      { de: "Name, E-Mail-Adresse und Telefonnummer", en: "name, e-mail address and telephone number" },
      {
        de: "Inhalt der Anfrage und des Schriftwechsels",
        en: "content of the request and of the correspondence",
      },
      {
        de: "Ticketnummer, Bearbeitungsstand und Bearbeitungsvermerke",
        en: "ticket number, status and handling notes",
      },
    ],
    dataSubjectCategories: [
      {
        de: "Personen, die sich an den Support wenden, insbesondere Nutzerinnen und Nutzer des Beauskunftungssystems",
        en: "persons who contact support, in particular users of the Beauskunftungssystem",
      },
    ],
    recipients: [servicecenter, ...handlingUnits],
    source: {
      de: "Von Ihnen selbst; Ticketnummer und Bearbeitungsstand erzeugt das Ticketsystem.",
      en: "From you; the ticket system generates the ticket number and the status.",
    },
    retentionRuleIds: ["ticket"],
    storeKinds: ["servicedesk-db"],
    objectionApplies: true,
    objectionNote: correspondenceObjection,
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "records-management",
    name: {
      de: "Aktenführung im Verwaltungsinformationssystem VISkompakt",
      en: "Record keeping in the records management system VISkompakt",
    },
    purposes: [
      {
        de: "Anliegen aus Briefen, Faxen, E-Mails und Anrufen als Vorgang führen und bearbeiten",
        en: "keeping and handling concerns from letters, faxes, e-mails and calls as files",
      },
      {
        de: "das Verwaltungshandeln nachvollziehbar dokumentieren",
        en: "documenting the administration's actions so they can be traced",
      },
      {
        de: "abgeschlossene Akten vor der Vernichtung dem Staatsarchiv anbieten",
        en: "offering closed files to the state archive before they are destroyed",
      },
    ],
    legalBasis: {
      gdpr: [publicTask, legalObligation, nationalRules],
      national: [
        "§ 16 Abs. 1 ThürDSG",
        "§ 23 ThürDSG",
        "Richtlinie über die Aufbewahrung von Schriftgut in der Verwaltung des Freistaats Thüringen",
      ],
      text: {
        de:
          "Behörden müssen ihre Vorgänge in Akten führen und diese für die vorgeschriebene Zeit aufbewahren. " +
          "Bevor Akten gelöscht werden, müssen sie dem zuständigen Archiv angeboten werden.",
        en:
          "Public authorities must keep their business in files and retain them for the prescribed time. " +
          "Before files are erased, they must be offered to the competent archive.",
      },
    },
    dataCategories: [
      { de: "Name, Anschrift und E-Mail-Adresse", en: "name, postal address and e-mail address" },
      {
        de: "eingescannte Briefe und Faxe, übernommene E-Mails und Gesprächsnotizen",
        en: "scanned letters and faxes, filed e-mails and call notes",
      },
      {
        de: "Aktenzeichen, Bearbeitungsvermerke und Antwortschreiben",
        en: "file reference, handling notes and replies",
      },
    ],
    dataSubjectCategories: [
      { de: "Personen, die sich an das TLRZ wenden", en: "persons who contact the TLRZ" },
      { de: "Personen, die in Schriftstücken genannt werden", en: "persons mentioned in documents" },
    ],
    recipients: [
      ...handlingUnits,
      {
        de: "das zuständige Thüringer Staatsarchiv, wenn es die Akte nach Ablauf der Frist übernimmt",
        en: "the competent Thuringian state archive, if it takes over the file after the retention period",
      },
    ],
    source: {
      de: "Aus Ihrem Brief, Fax, Ihrer E-Mail oder Ihrem Anruf; Aktenzeichen und Vermerke ergänzen wir.",
      en: "From your letter, fax, e-mail or call; we add the file reference and notes.",
    },
    retentionRuleIds: ["records-management"],
    storeKinds: ["records-management"],
    objectionApplies: true,
    objectionNote: {
      de:
        correspondenceObjection.de +
        " Solange eine gesetzliche Aufbewahrungspflicht besteht, bleibt die Akte erhalten; wir schränken dann die Nutzung ein.",
      en:
        correspondenceObjection.en +
        " While a statutory retention duty applies, the file is kept; we then restrict its use.",
    },
    portabilityApplies: false,
    automatedDecision: false,
  },
  {
    id: "rechteportal",
    name: {
      de: "Rechteportal: Anträge betroffener Personen",
      en: "Rights portal: requests from data subjects",
    },
    purposes: [
      {
        de: "Anträge auf Auskunft, Berichtigung, Löschung, Einschränkung, Datenübertragung, Widerspruch und Widerruf bearbeiten",
        en: "handling requests for access, rectification, erasure, restriction, portability, objection and withdrawal of consent",
      },
      {
        de: "prüfen, dass der Antrag von der berechtigten Person stammt",
        en: "verifying that a request comes from the person entitled",
      },
      {
        de: "Fristen einhalten und Entscheidungen nachweisen",
        en: "meeting deadlines and being able to prove our decisions",
      },
      {
        de: "Beschwerden auf Ihren Wunsch an die Aufsichtsbehörde weiterleiten",
        en: "forwarding complaints to the supervisory authority at your request",
      },
      {
        de: "die eigene Verarbeitung protokollieren, um ihre Rechtmäßigkeit zu kontrollieren",
        en: "logging the portal's own processing to check its lawfulness",
      },
    ],
    legalBasis: {
      gdpr: [legalObligation, "Art. 5 Abs. 2 DS-GVO", "Art. 12 bis 22 DS-GVO", "Art. 77 DS-GVO"],
      national: ["§§ 21 bis 23 ThürDSG", "§ 51 ThürDSG"],
      text: {
        de:
          "Die DS-GVO verpflichtet uns, Ihre Anträge zu beantworten und nachweisen zu können, wie wir entschieden haben. " +
          "Das Thüringer Datenschutzgesetz regelt die Einschränkungen dieser Rechte und verlangt, dass wir unsere Verarbeitung protokollieren.",
        en:
          "The GDPR obliges us to answer your requests and to be able to show how we decided. " +
          "The Thuringian Data Protection Act governs the limits of these rights and requires us to log our processing.",
      },
    },
    dataCategories: [
      {
        de: "Name, E-Mail-Adresse und weitere Kontaktangaben",
        en: "name, e-mail address and further contact details",
      },
      { de: "Inhalt des Antrags und Nachrichten dazu", en: "content of the request and related messages" },
      {
        de: "Bestätigungscodes (nur als Prüfwert gespeichert)",
        en: "confirmation codes (stored only as a check value)",
      },
      {
        de: "gefundene Daten aus den Systemen des TLRZ, Entscheidungen mit Begründung, Antwortschreiben",
        en: "data found in the TLRZ's systems, decisions with reasons, replies",
      },
      { de: "Prüfpfad: wer wann was getan hat", en: "audit trail: who did what and when" },
    ],
    dataSubjectCategories: [
      { de: "antragstellende Personen und ihre Vertretungen", en: "applicants and their representatives" },
      { de: "Beschäftigte, die Anträge bearbeiten", en: "staff who handle requests" },
    ],
    recipients: [
      {
        de: "die Datenschutzbeauftragte oder der Datenschutzbeauftragte des TLRZ (Prüfung der Entscheidungen)",
        en: "the TLRZ data protection officer (review of decisions)",
      },
      {
        de: "der TLfDI, wenn Sie eine Beschwerde weiterleiten lassen oder er nach einer verweigerten Auskunft anfragt",
        en: "the TLfDI, if you ask us to forward a complaint or it asks after access was refused",
      },
      {
        de: "Stellen, die Ihre Daten erhalten haben, werden über eine Berichtigung, Löschung oder Einschränkung informiert",
        en: "bodies that received your data are told of a rectification, erasure or restriction",
      },
    ],
    source: {
      de: "Von Ihnen selbst; gefundene Daten stammen aus den Systemen des TLRZ, Prüfpfad und Protokolle erzeugt das Portal.",
      en: "From you; data found come from the TLRZ's systems; the portal generates the audit trail and logs.",
    },
    retentionRuleIds: [
      "portal-case",
      "portal-unverified-request",
      "portal-verification-code",
      "portal-processing-log",
    ],
    storeKinds: [],
    objectionApplies: false,
    objectionNote: {
      de:
        "Ein Widerspruch ist hier nicht möglich: Wir verarbeiten diese Daten, um gesetzliche Pflichten zu erfüllen – Ihre Anträge zu beantworten und darüber Rechenschaft abzulegen. " +
        "Einen eingehenden Widerspruch beantworten wir trotzdem mit Begründung.",
      en:
        "An objection is not possible here: we process these data to meet legal obligations — answering your requests and accounting for how we did so. " +
        "We still answer every objection we receive, with reasons.",
    },
    portabilityApplies: false,
    automatedDecision: false,
  },
];

export const processingActivityById: Readonly<Record<ProcessingActivityId, ProcessingActivity>> =
  Object.fromEntries(processingActivities.map((activity) => [activity.id, activity])) as Record<
    ProcessingActivityId,
    ProcessingActivity
  >;

/** Activities whose data a store kind may hold; a finding's activity is chosen among these. */
export function activitiesForStoreKind(kind: StoreKind): ProcessingActivity[] {
  return processingActivities.filter((activity) => activity.storeKinds.includes(kind));
}
