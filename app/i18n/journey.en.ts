import type { Messages } from "./de";
import { textsOf } from "./texts";

const berlinDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "Europe/Berlin" });
const berlinDateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "Europe/Berlin",
});
const asDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);

export const journeyEn: Messages["journey"] = {
  title: "Make a request",
  formatDate: (value) => berlinDate.format(asDate(value)),
  formatDateTime: (value) => `${berlinDateTime.format(asDate(value))} (German time)`,

  choose: {
    title: "Which right do you want to use?",
    intro:
      "Choose what you are asking for. On the form you can add further requests, for example access and erasure together. Making a request is free of charge.",
    start: (label) => `Request: ${label}`,
    noReason: "You do not need to give a reason for access or erasure.",
    otherWays:
      "You do not have to use this form: a letter, fax, e-mail or phone call to the Thuringian State Data Centre works just as well.",
  },

  form: {
    title: (label) => `Request: ${label}`,
    intro:
      "Only your e-mail address is required. Everything else is optional and helps us find your data in our systems.",
    required: "required",
    optional: "optional",
    contactLegend: "Where should we reply?",
    email: "Your e-mail address",
    emailHint:
      "We will send a code to this address right away. With it you confirm that the address is yours. Our answer goes there too.",
    kindsLegend: "Do you want to ask for anything else?",
    kindsHint: "Tick what you would like in addition.",
    kindExtraHint: "Only needed if you tick this request.",
    identifiersLegend: "What should we search for?",
    identifiersHint:
      "Optional. We search for your data with these details. Details you have not confirmed are treated as unconfirmed, and we ask if in doubt.",
    name: "First and last name",
    postalAddress: "Postal address",
    postalAddressHint: "Street, number, postcode and town",
    otherEmails: "Further e-mail addresses",
    otherEmailsHint: "One address per line, for example an old address you wrote to us from.",
    phones: "Phone or fax numbers",
    phonesHint: "One number per line, for example +49 361 123456.",
    userName: "User name in the Beauskunftungssystem",
    userNameHint:
      "Only if you work for a public authority and have an account for population register look-ups.",
    ipLegend: (n) => `IP address ${n}`,
    ipHint:
      "If you want to know whether we logged visits from your connection. The times help us tell your visits from those of others.",
    ipAddress: "IP address",
    ipFrom: "Used from",
    ipTo: "Used until",
    birthDate: "Date of birth",
    birthDateHint:
      "Only if you want to know whether authorities looked up your registration data through our system. Format: DD.MM.YYYY",
    honeypot: "Please leave this field empty",
    submit: "Send request",
    privacy:
      "We use your details only to handle your request. If you do not confirm your e-mail address within 30 days, we delete the request.",
  },

  errors: textsOf({
    summaryTitle: "Please check your entries",
    required: "Please fill in this field.",
    email: "Please enter a valid e-mail address, for example name@example.org.",
    emailList: "At least one of the further e-mail addresses is not valid.",
    phoneList: "At least one of the numbers is not a valid phone number.",
    tooLong: "The text is too long.",
    tooMany: "These are too many entries.",
    ip: "Please enter a valid IPv4 or IPv6 address.",
    dateTime: "Please enter a date and time.",
    ipRange: "The end is before the start.",
    birthDate: "Please enter the date as DD.MM.YYYY.",
    choice: "Please choose one of the options.",
    kinds: "This choice is not possible.",
    code: "The code consists of 6 digits.",
    codeWrong: "The code is not correct. Please check it.",
    codeExpired: "The code has expired. Please ask for a new one.",
    codeLocked: "The code was entered wrongly too often. Please ask for a new one.",
    rateLimited: "You asked for too many codes in a short time. Please wait an hour and try again.",
    badForm: "The form could not be read. Please reload the page and try again.",
    fileType: "Please upload a PDF, PNG or JPEG file.",
    fileTooLarge: "The file is larger than 8 MB.",
    addEmpty: "Please write a message or choose a file.",
    confirmWithdraw: "Please confirm that you want to withdraw the request.",
    notChangeable: "This request is closed and can no longer be changed.",
    invalid: "This entry is not valid.",
    lineBreak: "Please write this on one line, without a line break.",
    controlCharacters:
      "Your entry contains invisible control characters, which we do not accept. This sometimes happens when text is copied from other programs. Please go back to the form with your browser's back button, type the entries again and send it once more. Nothing has been saved.",
  }),

  confirm: {
    title: "Confirm your e-mail address",
    intro:
      "We have sent you a 6-digit code by e-mail. Enter it here. Only then do we start working on your request.",
    validity:
      "The code is valid for 15 minutes. If it has expired, simply ask for a new one — your details stay saved.",
    code: "Code from the e-mail",
    codeHint: "6 digits, for example 123456",
    submit: "Confirm",
    resend: "Send a new code",
    resent: "We have sent you a new code. The old one no longer works.",
    noMail: "No e-mail? Please also look in your spam folder.",
    unknown: "We cannot find this request. It may already be confirmed, or it was deleted after 30 days.",
    startAgain: "Make a new request",
  },

  signIn: {
    title: "My cases",
    intro:
      "Sign in with the e-mail address you confirmed for your request. You need no password: we send you a code.",
    email: "Your e-mail address",
    send: "Send code",
    sent: "If there is a case for this address, we have sent you a code.",
    code: "Code from the e-mail",
    codeHint: "6 digits. The code is valid for 15 minutes.",
    verify: "Sign in",
    otherAddress: "Use another address",
    signedInAs: (emails) => `Signed in with: ${emails}`,
    sessionNote: "You stay signed in until you close the browser or sign out, for at most 8 hours.",
    signOut: "Sign out",
    addAddress: "Add another address",
  },

  cases: {
    title: "My cases",
    none: "There is no case for your addresses.",
    reference: "Reference",
    kinds: "Requests",
    receivedAt: "Received on",
    deadline: "Answer due by",
    status: "Status",
    newRequest: "Make a new request",
  },

  case: {
    title: (reference) => `Case ${reference}`,
    proven: "Your e-mail address is confirmed. We have received your request.",
    facts: "Overview",
    extendedDeadline: "Extended deadline",
    extensionReason: "Reason for the extension",
    deadlineNote:
      "We must answer within one month. In difficult cases we may extend this by up to two months — we will tell you beforehand and explain why.",
    timeline: "History",
    messages: "Messages",
    noMessages: "No messages yet.",
    fromYou: "From you",
    fromUs: "From the Thuringian State Data Centre",
    downloads: "Download the answer",
    notReleased:
      "The answer has not been released yet. As soon as it is ready, you will find it here and we will send you an e-mail.",
    outcomeTitle: "Outcome",
    outcomeByMessage:
      "What we decided and did about your request we tell you in a message — you find it below under “Messages”. There is no file to download for it.",
    complaintNext: (authority) =>
      `We forward your complaint to ${authority}. The supervisory authority examines it and answers you directly — not we. You will receive no further answer and nothing to download from us about your complaint. When we forwarded it is shown on the complaint page.`,
    identifiers: "Your details for the search",
    unproven: "unconfirmed",
    provenMark: "confirmed",
    addTitle: "Send further information or documents",
    addText: "Your message",
    addFile: "Document (optional)",
    addFileHint: "PDF, PNG or JPEG, at most 8 MB.",
    addSubmit: "Send",
    added: "Thank you, we have added your message to the case.",
    withdrawTitle: "Withdraw the request",
    withdrawText:
      "If you withdraw the request, we stop working on it. You can make a new request at any time.",
    withdrawConfirm: "Yes, I withdraw this request.",
    withdrawSubmit: "Withdraw request",
    withdrawn: "You have withdrawn the request.",
    back: "All my cases",
  },

  status: textsOf({
    unproven: "E-mail address not confirmed",
    received: "Received, being processed",
    gathering: "Being processed",
    review: "Being processed",
    approved: "Being processed",
    withdrawn: "Closed: withdrawn by you",
    answered: "Closed: answered",
    "carried-out": "Closed: carried out (what we did is in the messages)",
    forwarded: "Closed: forwarded to the supervisory authority, which will answer you",
    refused: "Closed: refused (reasons in the messages)",
    other: "Being processed",
  }),

  events: textsOf({
    "request.submitted": "Request sent",
    "request.proven": "E-mail address confirmed, request received",
    "request.received": "Request received and recorded",
    "request.information-added": "You sent further information",
    "request.withdrawn": "Request withdrawn",
    "request.identifier-proven": "Further e-mail address confirmed",
    "request.deadline-extended": "Deadline extended",
    "request.answered": "Answer sent",
    "request.closed": "Case closed",
  }),

  mail: {
    greeting: "Hello,",
    closing: "Kind regards\nThuringian State Data Centre",
    automatic: "This e-mail was created automatically.",
    notYou:
      "If you did not make a request, you can ignore this e-mail. Without confirmation we delete the request after 30 days.",
    codeSubject: "Your confirmation code for the rights portal",
    codeText: (code, link) =>
      `Your code is: ${code}\n\nIt is valid for 15 minutes. Enter it on this page:\n${link}\n\nWe start working on your request only after you confirm.`,
    signInSubject: "Your sign-in code for the rights portal",
    signInText: (code, link) =>
      `Your sign-in code is: ${code}\n\nIt is valid for 15 minutes. Enter it here:\n${link}\n\nIf you did not want to sign in, ignore this e-mail.`,
    ackSubject: (reference) => `Acknowledgment of receipt ${reference}`,
    ackText: (reference, kinds, received, deadline, link) =>
      `We have received your request.\n\nReference: ${reference}\nRequests: ${kinds}\nReceived on: ${received}\nAnswer due by: ${deadline}\n\nThe acknowledgment of receipt is attached as a PDF. You can follow your request here:\n${link}`,
    withdrawnSubject: (reference) => `Request withdrawn: ${reference}`,
    withdrawnText: (reference) =>
      `You have withdrawn your request ${reference}. We will not work on it any further.`,
  },

  receipt: {
    fileName: (reference) => `Acknowledgment-${reference}.pdf`,
    title: "Acknowledgment of receipt",
    intro: "We have received your request under the General Data Protection Regulation.",
    reference: "Reference",
    kinds: "Requests",
    receivedAt: "Received on",
    deadline: "Answer due by",
    nextTitle: "What happens next",
    next: [
      "We search our systems for the data that match your details.",
      "If we are in doubt whether the data belong to you, we ask. We do not ask for an ID document without reason.",
      "The data protection officer reviews the answer before we release it.",
      "You receive the answer electronically. You can see the status at any time in the rights portal under “My cases”.",
    ],
    deadlineNote:
      "We answer within one month. In difficult cases we may extend this by up to two months; we will tell you so, with reasons, within the first month.",
    rightsTitle: "Your rights",
    rights:
      "You have the right of access, rectification, erasure, restriction of processing, data portability and objection. Requests are free of charge.",
    complaint: (authority, address) => `You can complain at any time to: ${authority}, ${address}.`,
    controller: "Controller",
  },

  intake: {
    title: "Record a request",
    intro:
      "For requests that came by letter, fax, e-mail, phone or in person. The case gets its reference at once and its deadline from the real date of receipt.",
    channel: "Channel",
    channels: textsOf({
      letter: "letter",
      fax: "fax",
      email: "e-mail",
      phone: "phone",
      "in-person": "in person",
    }),
    receivedOn: "Date of receipt",
    receivedOnHint: "The day the request reached us (receipt stamp).",
    kinds: "Requests",
    lang: "Language of the answer",
    languages: textsOf({ de: "German", en: "English" }),
    email: "The person's e-mail address",
    emailHint:
      "If an address is given, the acknowledgment goes there by e-mail. An e-mail or postal address is needed.",
    note: "Note on the content of the request",
    scan: "Scan of the letter (optional)",
    scanHint: "PDF, PNG or JPEG, at most 8 MB.",
    submit: "Create case",
    created: (reference) => `Case ${reference} has been created.`,
  },

  demoMailbox: {
    title: "Demo mailbox",
    intro: "This page exists only in demo mode. It shows the e-mails the portal would have sent.",
    empty: "No e-mails yet.",
    to: "To",
    date: "Sent",
    attachments: "Attachments",
  },
};
