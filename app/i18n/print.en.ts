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
  waitingOnCase: (count: number) => (count === 1 ? "1 letter waiting for dispatch" : `${count} letters waiting for dispatch`),
  letter: {
    title: (reference: string) => `Notice on case ${reference}`,
    reference: "Reference",
    date: "Date",
    contact: "Contact",
    contactName: "Data protection officer",
    phone: "Phone",
    email: "E-mail",
    enclosures: "Enclosures",
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
    machine: "This letter was produced electronically and is valid without a signature.",
  },
};
