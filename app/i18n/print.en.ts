import type { Messages } from "./de";

export const printEn: Messages["print"] = {
  title: "Print queue",
  intro:
    "People who wrote without an e-mail address receive every notice as a letter. Print it, put it in a window envelope (DL, C5 or C4) and record the day it went to the post. Only then does the notice count as sent.",
  waitingHeading: "Waiting for dispatch",
  dispatchedHeading: "Dispatched (latest 50)",
  noneWaiting: "No letter is waiting for dispatch.",
  noneDispatched: "No letter dispatched yet.",
  reference: "Reference",
  subject: "Subject",
  created: "Created",
  enclosures: "Enclosures",
  download: "Letter (PDF)",
  dispatchedOn: "Posted on",
  markDispatched: "Record as dispatched",
  dispatchedBy: "recorded by",
  recorded: "The dispatch is recorded.",
  badDay: "Please give a date not in the future and not before the letter was created.",
  alreadyDispatched: "This letter is already recorded as dispatched.",
  unreachableHeading: "Tasks: person cannot be reached",
  unreachableIntro:
    "These cases have neither an e-mail address nor a postal address. No notice can be delivered; the case stands still until you add an address.",
  noneUnreachable: "None.",
  waitingOnCase: (count: number) =>
    count === 1 ? "1 letter waiting for dispatch" : `${count} letters waiting for dispatch`,
  answersHeading: "Answers on paper",
  answersIntro:
    "The answer goes in two mailings: the access letter with the data medium (the encrypted archive of the data, on CD or USB stick), and separately, on another day, the letter with the password.",
  noneAnswers: "No released answer for a person without an e-mail address.",
  accessLetter: "Access letter (PDF)",
  prepareMedium: "Prepare the data medium (create the password letter)",
  encryptedArchive: "Encrypted archive for the data medium",
  mediumPrepared: "The password letter is in the print queue; the encrypted archive can now be downloaded.",
  letter: {
    title: (reference: string) => `Notice on case ${reference}`,
    reference: "Reference",
    date: "Date",
    contact: "Contact",
    contactName: "Data protection officer",
    phone: "Phone",
    email: "E-mail",
    enclosures: "Enclosures",
    passwordSubject: (reference: string) => `Password for the data medium of your case ${reference}`,
    passwordText: (reference: string, password: string) =>
      `Hello,\n\nby separate post you receive our answer to your case ${reference} with a data medium. The data on it are encrypted (ZIP archive, AES-256). The password is:\n\n${password}\n\nPlease keep this letter apart from the data medium. The archive opens with a common program (e.g. 7-Zip); it holds your data as JSON and CSV and an overview (index.html).\n\nKind regards`,
    machine: "This letter was produced electronically and is valid without a signature.",
  },
};
