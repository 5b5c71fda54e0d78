import type { Messages } from "./de";

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
  recipientsIntro: "We have told every body that received these data from us about the rectification, erasure or restriction of your data:",
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
  refused: {
    abgelaufen: "The download period has ended. Write to us if you need the answer again.",
    geaendert:
      "The answer cannot be downloaded right now: data have changed since we reviewed them, and we release nothing we have not reviewed. This has been recorded. Please try again later or write to us through this page.",
  } as Record<string, string>,
  errors: {
    notUnlocked: "Please unlock downloading with a code first.",
    code: "The code is wrong or has expired. Please ask for a new one.",
    locked: "Too many wrong attempts. Please ask for a new code.",
    rateLimited: "You have asked for too many codes. Please wait an hour.",
    notReleased: "The answer has not been provided yet.",
  } as Record<string, string>,
};
