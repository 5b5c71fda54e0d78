import { berlinDateTimeFormatter } from "./berlin-clock";
import type { AnswerTexts } from "./texts.de";

const berlinDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "Europe/Berlin" });

const records = (n: number) => (n === 1 ? "1 record" : `${n.toLocaleString("en-GB")} records`);

export const answersEn: AnswerTexts = {
  formatDate: (value) => berlinDate.format(value),
  formatDateTime: berlinDateTimeFormatter("en-GB", (date, time) => `${date}, ${time}`),
  records,

  storeKinds: {
    "nginx-access-log": "web server access logs",
    "login-jsonl": "login logs of the Beauskunftungssystem",
    "retrieval-protocol-db": "retrieval protocols of population register look-ups",
    "servicedesk-db": "service desk ticket system",
    maildir: "mailboxes",
    "call-records-csv": "telephone connection data",
    "records-management": "records in the records management system VISkompakt",
  },

  roles: {
    subject: "data subject",
    requester: "person making the look-up",
    "looked-up": "person looked up",
    sender: "sender",
    recipient: "recipient",
    cc: "in copy",
    customer: "person asking",
  },

  identifierKinds: {
    email: "e-mail address",
    name: "name",
    phone: "telephone number",
    userName: "user name",
    ip: "IP address",
    birthDate: "date of birth",
    postalAddress: "postal address",
  },

  files: {
    accessArchive: (reference) => `access-${reference}.zip`,
    portabilityArchive: (reference) => `portability-${reference}.zip`,
    letter: "access-letter.pdf",
    letterDescription: "this letter",
    index: "an overview and every record, to read in a web browser, also without an internet connection",
    store: (label, n) => `${label}: ${records(n)}, as a JSON and as a CSV file`,
    storeRedacted: (n) => `${records(n)} of them with redactions`,
    schemas: "descriptions of the structure of every JSON file (JSON Schema)",
    manifest: "checksums (SHA-256) of all files, so you can check that nothing was changed",
  },

  letter: {
    title: (reference) => `Access under Art. 15 GDPR, reference ${reference}`,
    byEmail: (email) => `by e-mail to ${email}`,
    info: {
      reference: "Reference",
      received: "Your request of",
      date: "Date",
      contact: "Contact",
      contactName: "Data Protection Officer",
      phone: "Telephone",
      email: "E-mail",
    },
    subject: "Access to your personal data (Art. 15 GDPR)",
    representation: {
      roles: {
        authorised: "authorised representative",
        parent: "parent or guardian",
        custodian: "legal guardian (Betreuer)",
        attorney: "attorney",
      },
      dataSubject: "Data subject",
      subject: (name) => `Access to the personal data of ${name} (Art. 15 GDPR)`,
      intro: (role, name) =>
        `Your request as ${role} for ${name}: we have checked your authority and answer the request to you. This answer concerns the data of ${name}. Where this letter says “you” and “your data”, it means ${name} and the data of ${name}; the rights under “Your rights” belong to ${name}, and you may exercise them within your authority.`,
    },
    salutation: (name) => (name ? `Dear ${name},` : "Dear Sir or Madam,"),
    intro: (receivedAt, kinds) =>
      `on ${receivedAt} you asked us for: ${kinds}. We have searched every system of the Thuringian State Data Centre (TLRZ) ` +
      "that may hold personal data. This letter is our answer; you receive the copy of your data as a ZIP archive.",
    introSearched: (receivedAt, kinds) =>
      `on ${receivedAt} you asked us for: ${kinds}. We have searched the systems of the Thuringian State Data Centre (TLRZ) ` +
      "that may hold personal data. This letter is our answer; you receive the copy of your data as a ZIP archive.",
    unsearched: (stores) =>
      `We could not search these completely: ${stores}. For them, this answer may therefore be incomplete.`,
    otherKinds: (kinds) =>
      `We decide on your further requests (${kinds}) separately and will write to you about them.`,

    confirmation: {
      heading: "Do we process data about you?",
      yes: "Yes. We process personal data about you.",
      released: (n) => `We found ${records(n)}, all of which you receive in copy.`,
      releasedNeutral: (n) =>
        `You receive ${records(n)} in copy. These are the data about you that are subject to the duty to give access.`,
      releasedWithLimits: (n) =>
        `You receive ${records(n)} in copy. Access to part of your data is restricted; we explain this in the section “Restrictions of access”.`,
      limitedOnly:
        "You do not receive a copy of these data: access is restricted; we explain this in the section “Restrictions of access”.",
      no: "No. Apart from the details of this request, we do not process any personal data about you. We searched for every detail you gave us and found nothing.",
      none: "Apart from the details of this request, we do not process any personal data about you that are subject to the duty to give access.",
    },

    unproven: {
      heading: "Details you have not yet confirmed",
      intro: (kinds) =>
        `Further data may be stored with us under details you gave us but have not yet confirmed as yours (${kinds}). We disclose such data only once it is established that they are yours; this answer does not contain them.`,
      email: (page) =>
        `E-mail address: confirm the address on the page of your case (${page}) with the code we send to that address. We will then include the data under this address in the answer.`,
      other: (kinds) =>
        `${kinds}: contact our Data Protection Officer (contact above). We will then check whether the detail belongs to you, for example with your identity card, which we look at and do not copy. We will then include the data under this detail in the answer.`,
      casePage: "in the rights portal under “My cases”",
    },

    activities: {
      heading: "Your data in detail",
      intro:
        "For each processing in which we hold data about you, we state what we use the data for, what kinds of data they are, who receives them, how long we keep them and where they come from.",
      found: (n, stores) => `Found: ${records(n)} in: ${stores}.`,
      withheld: (n) => `Not disclosed: ${records(n)} (see “Restrictions of access”).`,
      purposes: "Purposes",
      categories: "Kinds of data",
      recipients: "Recipients",
      storage: "How long we keep the data",
      source: "Where the data come from",
      objection: "Objection",
      portability: "The right to data portability (Art. 20 GDPR) also applies to these data.",
      portalFound: "We keep the details of your request and our decisions on it in the rights portal.",
      overdue: (label, n, oldest) =>
        `${label}: ${n === 1 ? "one record in your copy is" : `${n.toLocaleString("en-GB")} records in your copy are`} older than this storage period allows (the oldest of ${oldest}). ${n === 1 ? "It" : "They"} should already have been deleted. You receive ${n === 1 ? "it" : "them"} all the same, because access covers all data we actually hold. ${n === 1 ? "It is" : "They are"} overdue for deletion and will be deleted after your request has been answered.`,
      held: (label, n) =>
        `${label}: we keep ${n === 1 ? "one record" : `${n.toLocaleString("en-GB")} records`} in your copy longer than this storage period because ${n === 1 ? "its" : "their"} processing is restricted (Art. 18 GDPR); ${n === 1 ? "it is" : "they are"} deleted as soon as the restriction ends.`,
      namedRecipients: "Recipients named in your records",
      moreRecipients: (n) =>
        `and ${n === 1 ? "one further recipient" : `${n.toLocaleString("en-GB")} further recipients`} named in the copy of your data`,
      thirdCountries:
        "Transfers to third countries (Art. 15(2) GDPR): we do not transfer your data to countries outside the European Union and the European Economic Area, nor to international organisations. The TLRZ runs all the systems named here in its own data centres in Thuringia.",
    },

    restrictions: {
      heading: "Restrictions of access",
      redacted: (n, legalReference, explanation) =>
        `In ${records(n)} we have redacted individual details (${legalReference}). ${explanation}`,
      marked:
        "Each redaction is marked in its place in the copy, for example as “[redacted: Art. 15(4) GDPR]”.",
      group: (activity, n, legalReference) =>
        `${activity}: we do not disclose ${records(n)}. Legal basis: ${legalReference}.`,
      reasons: (reasons) => `Reasons: ${reasons}`,
      review: (date) =>
        `We will check by ${date} at the latest whether the ground still applies, and disclose the data as soon as it no longer does.`,
      omitted:
        "We do not give access to further data. We do not state the factual and legal reasons because stating them would defeat the purpose of the decision (section 21(4) ThürDSG).",
      tlfdiRight: (authority, page) =>
        `Where we do not give you access under section 21 ThürDSG, you have the right to demand that we give the information to the supervisory authority instead (${authority}); it then checks whether our decision is lawful (section 21(5) ThürDSG). You can demand this on your case page (${page}) or informally by letter or e-mail to us.`,
      complaint:
        "You can complain to the supervisory authority about any restriction; its address is under “Your rights”.",
    },

    copy: {
      heading: "Copy of your data",
      intro: "You receive the copy of your data as a ZIP archive. It contains:",
      empty:
        "The archive contains only this letter and an overview, as this answer gives you no records in copy.",
      formats:
        "CSV files open in a spreadsheet program, JSON files in any text editor or other software. Both contain the same data.",
      portability:
        "As you also asked for data portability, you additionally receive the data you gave us with your consent in a separate archive, in the machine-readable JSON format:",
      noPortability:
        "You also asked for data portability. This right only covers data you gave us with your consent or for a contract; we found no such data about you.",
    },

    automated: {
      heading: "No automated decision",
      text: "We take no decision about you that is based solely on automated processing, and we do not profile you (Art. 22 GDPR).",
    },

    rights: {
      heading: "Your rights",
      intro: "You have the following rights towards us:",
      rectification:
        "Rectification (Art. 16 GDPR): if details about you are wrong or incomplete, we correct or complete them.",
      erasure:
        "Erasure (Art. 17 GDPR): we erase data that we no longer need or may not keep. If we still have to keep data, we tell you why and until when.",
      restriction:
        "Restriction of processing (Art. 18 GDPR): for example while we check whether details are accurate, we only store your data and make no other use of them.",
      objection:
        "Objection (Art. 21 GDPR): on grounds relating to your particular situation you can object to a processing. What applies to each processing is stated above under “Objection”.",
      withdrawal:
        "Withdrawal of consent (Art. 7(3) GDPR): you can withdraw a consent, for example one given in the contact form, at any time. What happened before remains lawful.",
      portability:
        "Data portability (Art. 20 GDPR): data you gave us with your consent are handed to you in a machine-readable format on request.",
      how: "You can exercise these rights through the rights portal, by letter, by e-mail or by telephone, free of charge.",
      complaint: "Complaint (Art. 77 GDPR): you can complain to the supervisory authority at any time:",
      complaintPage: (url: string) =>
        `The rights portal forwards your complaint to the supervisory authority, with the file of this case if you wish: ${url}`,
      dpo: "You can reach our Data Protection Officer here:",
    },

    closing: "Yours faithfully",
    machine: "This letter was produced electronically and is valid without a signature.",
  },

  html: {
    title: (reference) => `Your data at the TLRZ – reference ${reference}`,
    intro: (date) =>
      `This page belongs to the answer of ${date}. At the top it shows the answer itself, below it every record we found about you. It works without an internet connection.`,
    contents: "Contents",
    answer: "The answer",
    overview: "Overview of the data",
    table: {
      store: "Data store",
      kind: "Kind",
      records: "Records",
      redacted: "with redactions",
      files: "Files",
    },
    storeHeading: (label, store) => `${label} (${store})`,
    storeIntro: (n, activities) => `${records(n)}. Processing: ${activities}.`,
    times: "All times are German time (CET or CEST).",
    meta: {
      number: "No.",
      ref: "Identifier in the system",
      activity: "Processing",
      recordedAt: "Time",
      role: "Your role",
      matched: "Found through",
      redactions: "Redactions",
    },
    empty: "(empty)",
    csvNote:
      "In the CSV files, text that begins with =, +, - or @ is preceded by an apostrophe so that spreadsheet programs do not run it as a formula. The JSON files contain the data unchanged.",
    noRecords: "This archive contains no records.",
  },

  portability: {
    title: (reference) => `Data portability under Art. 20 GDPR – reference ${reference}`,
  },

  groundReasons: {
    "public-security":
      "Giving access would endanger public security or harm the Federation or a Land; your interest in access must give way to this.",
    secrecy:
      "The data must be kept secret by law or by their nature, in particular because of the overriding rights of other people.",
    prosecution: "Giving access would impair the prevention or prosecution of criminal offences.",
    "security-control-only": "The data are stored solely for data security or data-protection control.",
    "authority-consent":
      "The data concern a transmission to or from a security authority that has not consented to their disclosure.",
    "information-block": "An information block applies to the data.",
    "third-party-rights": "The data concern other people whose rights prevail here.",
    "identity-unconfirmed": "It is not yet established that the data are yours.",
  },
};
