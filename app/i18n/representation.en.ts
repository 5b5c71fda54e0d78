import type { Messages } from "./de";
import { textsOf } from "./texts";

export const representationEn: Messages["representation"] = {
  form: {
    legend: "Who are you making this request for?",
    self: "For myself",
    other: "For another person whom I represent",
    otherHint:
      "The e-mail address above is then your own: we send the code and every message there, and the answer goes to you. Under “What should we search for?” give the details of the person you represent; their name is then required, for a child also their date of birth.",
    role: "Your role",
    name: "Your name",
    postalAddress: "Your postal address",
    postalAddressHint: "Street and number, postcode and town. Letters to you go here.",
    phone: "Your telephone number",
    proof:
      "Before we answer, we check your authority. Send us the power of attorney of the person you represent, for a child the birth certificate or proof of custody, as a legal guardian (Betreuer) your certificate of appointment – by post, or as a copy on your case page. We only look at the document: we delete a copy as soon as we have recorded our check. For a child of 16 or older we need the child's own power of attorney, because from that age the child exercises the right themselves.",
  },
  intake: {
    legend: "Who made the request?",
    self: "The data subject themselves",
    other: "A representative on behalf of the data subject",
    otherHint:
      "The e-mail address and the answer are then the representative's; name, address, telephone and date of birth below are the represented person's (they are searched for).",
    role: "Representative's role",
    name: "Representative's name",
    postalAddress: "Representative's postal address",
    phone: "Representative's telephone",
    birthDate: "Represented person's date of birth",
  },
  filedFor: (name, role) => `Filed for ${name} – by you (${role}).`,
  filedForUnnamed: (role) => `Filed for the person you represent – by you (${role}).`,
  roles: {
    authorised: "Authorised representative",
    parent: "Parent or guardian of a child",
    custodian: "Court-appointed legal guardian (Betreuer)",
    attorney: "Attorney",
  },
  documents: {
    "power-of-attorney": "Power of attorney of the represented person",
    "birth-certificate": "Child's birth certificate (joint custody)",
    "custody-document": "Proof of sole custody or appointment as guardian",
    "court-appointment": "Guardian's certificate or decision of the guardianship court",
  },
  check: {
    heading: "Representation",
    filedBy: (name: string, role: string) => `Filed by ${name} as ${role}.`,
    contact: "Reached at",
    represented:
      "The search identifiers above are those of the represented person; the case's e-mail address is the representative's and is not searched.",
    none: "The representative's authority has not been checked yet. The answer can be released only after a confirmed check.",
    last: (who: string, when: string, document: string, result: string) =>
      `Last checked by ${who} on ${when}: ${document} – ${result}.`,
    results: {
      confirmed: "authority confirmed",
      rejected: "not proven",
    },
    childOwnRights:
      "The child is 16 or older (or their age is unknown): they exercise the right themselves. Only their own power of attorney proves the representation.",
    documentLegend: "Document presented",
    resultLegend: "Result",
    copies: "Uploaded copies of this case that are deleted with the record",
    copiesHint: "Only who checked what with which result is kept, no copy of the document.",
    submit: "Record the check",
    backToCase: "Back to the case",
    recorded: "The check is recorded.",
    messageConfirmed: (document: string) =>
      `We have checked your authority against the document “${document}” and confirmed it.`,
    messageRejected: (document: string) =>
      `We have checked the document “${document}”: it does not prove your authority. Before we can answer your request we need proof, such as a power of attorney of the person you represent.`,
    messageDeleted: (files: string) =>
      `We have then deleted the copy you sent us (${files}); we keep only who checked what, and when.`,
  },
  errors: textsOf({
    "document-required": "Please choose which document you checked.",
    "result-required": "Please choose the result of the check.",
    "not-represented": "This request was not made for another person.",
    "document-not-accepted": "This document does not prove the authority for this role.",
    "unknown-copy": "The chosen copy does not belong to this case.",
    "authority-unconfirmed":
      "The representative's authority is not confirmed yet. Check the document and record the check first; only then can the answer be released.",
  }),
};
