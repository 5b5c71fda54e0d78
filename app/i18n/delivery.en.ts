import type { Messages } from "./de";
import { textsOf } from "./texts";

export const deliveryEn: Messages["delivery"] = {
  release: "Provide the answer and notify the person",
  released: "The answer has been provided.",
  paperLetter: "Answer letter as a PDF for printing",
  notApproved: "There is no approved review yet.",
  readySubject: (reference: string) => `Your answer to case ${reference} is ready`,
  readyText: (reference: string, link: string, until: string) =>
    `our answer to your request ${reference} is ready for you: a letter and a copy of your data in machine-readable form.\n\nYou can download both until ${until}: ${link}\nTo protect your data we send a code to this e-mail address before the download.`,
  message: (until: string) => `Your answer is ready. You can download it here until ${until}.`,
  codeSubject: "Your code to download the answer",
  codeText: (code: string) => `Your code to download the answer is: ${code}\n\nIt is valid for 15 minutes.`,
  heading: "Your answer",
  available: (until: string) => `Available until ${until}.`,
  expired: "The download period has ended. Write to us if you need the answer again.",
  unlockIntro: "To protect your data, confirm the download with a code we send you by e-mail.",
  sendCode: "Send code",
  codeSent: "We have sent you a code.",
  code: "Code from the e-mail",
  unlock: "Unlock download",
  unlocked: "Downloading is unlocked for 15 minutes.",
  recipientsTitle: "Recipients we have told (Art. 19 GDPR)",
  recipientsIntro:
    "We have told every body that received these data from us about the rectification, erasure or restriction of your data:",
  recipientNotTold: (reason: string) => `not told: ${reason}`,
  files: {
    letter: "Answer letter (PDF)",
    archive: "Copy of your data (ZIP: overview as HTML, data as JSON and CSV)",
    portability: "Data for transfer (ZIP, JSON)",
  },
  encrypted: {
    title: "Download encrypted",
    intro:
      "You can also download the ZIP archives encrypted (AES-256). For that we create a password that we show only this once and store nowhere. To open the archives you need a program that can open encrypted ZIP archives, for example 7-Zip; the ZIP function built into Windows cannot.",
    create: "Create a password",
    password: "Your password for the encrypted archives:",
    onceOnly:
      "Write the password down now: we will not show it again. Type it in again below to download – that way you know for sure you have it. If you lose the password, create a new one and download the archives again.",
    typeBack: "Type the password to confirm (with the hyphens)",
    wrongPassword:
      "The password you typed does not match the one shown. Nothing was downloaded; the attempt has been recorded. Create a new password, write it down and type it in to download.",
    archive: "Copy of your data, encrypted (ZIP)",
    portability: "Data for transfer, encrypted (ZIP)",
  },
  refused: textsOf({
    abgelaufen: "The download period has ended. Write to us if you need the answer again.",
    geaendert:
      "The answer cannot be downloaded right now: data have changed since we reviewed them, and we release nothing we have not reviewed. This has been recorded. Please try again later or write to us through this page.",
  }),
  notices: {
    complaint: (authority, complaintLink) =>
      `Complaint: you have the right to lodge a complaint with the supervisory authority (Art. 77 GDPR): ${authority}. The rights portal forwards your complaint if you wish: ${complaintLink}`,
    legalRemedy: (months, court, address) =>
      `Information on legal remedies: you may bring an action against this decision before the ${court}, ${address}, within ${months === 1 ? "one month" : `${months} months`} of its notification (Art. 79 GDPR). The action must be brought in writing or recorded by the court's registry.`,
    legalRemedyObjection: (months, authority, address, court) =>
      `Information on legal remedies: you may object to this decision within ${months === 1 ? "one month" : `${months} months`} of its notification, in writing or on record at the ${authority}, ${address}. If the objection is not granted, you may bring an action before the ${court} (Art. 79 GDPR).`,
    extensionSubject: (reference) => `Your request ${reference}: time limit extended`,
    extensionBody: (reference, received, deadline, reasons) =>
      `Dear Sir or Madam,\n\nyou made your request ${reference} on ${received}. We cannot complete it within one month and extend the time limit under Art. 12(3), second sentence, GDPR until ${deadline}.\n\nThe reasons:\n${reasons}`,
    refusalSubject: (reference) => `Your request ${reference}: refusal under Art. 12(5) GDPR`,
    refusalBody: (reference, ground, reasons) =>
      `Dear Sir or Madam,\n\nwe will not act on your request ${reference} because it is ${ground} (Art. 12(5), second sentence, point (b) GDPR). The burden of demonstrating this lies with us (Art. 12(5), third sentence, GDPR).\n\nThe reasons:\n${reasons}`,
    declineSubject: (reference) => `Your request ${reference}: declined`,
    declineBody: (reference, kinds, reasons) =>
      `Dear Sir or Madam,\n\nwe have examined your request ${reference}. We will not carry out your request for ${kinds} (Art. 12(4) GDPR).\n\nThe reasons:\n${reasons}`,
  },

  decisionForm: {
    reasoning:
      "Internal reasoning (required to withhold or redact; for the file and the TLfDI, never in the letter)",
    personReasons:
      "Text for the person (when withholding; appears in the letter under “Reasons”; empty: the letter states the statutory ground in general words)",
    omitReasons:
      "Leave the reasons out (section 21(4) ThürDSG): the letter then states neither the legal basis nor any text, and points to the supervisory authority",
    preview: "Preview the letter",
    previewHeading: "What the letter says",
    previewNone:
      "When releasing or redacting, the letter takes over no text of the reviewer; a redaction is explained by its statutory ground.",
    previewSilent:
      "The letter does not mention these findings, not even as a number; it then does not say that nothing was found.",
    previewSaved: "Not saved yet: check the preview and save the decision.",
  },

  errors: textsOf({
    notUnlocked: "Please unlock downloading with a code first.",
    code: "The code is wrong or has expired. Please ask for a new one.",
    locked: "Too many wrong attempts. Please ask for a new code.",
    rateLimited: "You have asked for too many codes. Please wait an hour.",
    notReleased: "The answer has not been provided yet.",
    "refusal-too-late":
      "A refusal under Art. 12(5) GDPR is possible only within one month of receipt (Art. 12(4) GDPR).",
  }),
};
