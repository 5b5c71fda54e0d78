import type { statutoryDe } from "./statutory.de";
import { textsOf } from "./texts";

export const statutoryEn: typeof statutoryDe = {
  demand: {
    title: "Demand a review by the supervisory authority",
    intro:
      "We did not give you full access. You can demand that we give the information to the supervisory authority instead, the Thuringian Commissioner for Data Protection and Freedom of Information (TLfDI). The authority then checks whether we were right to restrict your access (section 21(5) ThürDSG). This costs you nothing.",
    confirm: "I demand that the information I was not given be given to the supervisory authority.",
    submit: "Demand the review",
    done: "We have received your demand and sent you a confirmation.",
    demanded: (date: string) =>
      `On ${date} you demanded that we give the information to the supervisory authority. The documents for the authority have been prepared; we will tell you when we have handed them over.`,
    handedOver: (date: string) =>
      `You demanded a review by the supervisory authority. We gave it the information on ${date}. The authority itself will tell you the outcome of its review.`,
    errors: textsOf({
      confirm: "Please confirm that you demand a review by the supervisory authority.",
      "not-offered":
        "A review under section 21(5) ThürDSG cannot be demanded in this case: access was not restricted.",
      "already-demanded": "You have already demanded a review by the supervisory authority for this answer.",
    }),
    mail: {
      subject: (reference: string) => `Your demand under section 21(5) ThürDSG – case ${reference}`,
      body: (reference: string, date: string) =>
        `Hello,\n\non ${date} you demanded that we give the information we did not, or not fully, give you in case ${reference} to the supervisory authority (section 21(5) ThürDSG).\n\nWe have prepared the documents for the Thuringian Commissioner for Data Protection and Freedom of Information and will hand them over. We will tell you once that is done. The authority itself will tell you the outcome of its review.\n\nKind regards\nThuringian State Data Centre – Data Protection`,
      handedOverSubject: (reference: string) =>
        `Information given to the supervisory authority – case ${reference}`,
      handedOverBody: (reference: string, date: string) =>
        `Hello,\n\nas you demanded, on ${date} we gave the information of case ${reference} to the Thuringian Commissioner for Data Protection and Freedom of Information (section 21(5) ThürDSG). The authority itself will tell you the outcome of its review.\n\nKind regards\nThuringian State Data Centre – Data Protection`,
    },
    producedBy: "the rights portal at the data subject's demand (section 21(5) ThürDSG)",
  },

  task: {
    title: "Tasks",
    demand: (date: string) =>
      `On ${date} the person demanded that the information they were not given be given to the supervisory authority (section 21(5) ThürDSG). The portal produced the record then. Please hand it to the TLfDI and record the hand-over here; the person is told.`,
    download: "Download the record of the demand (PDF)",
    handedOverOn: "Handed over on",
    note: "How it was handed over (channel, the TLfDI's file number)",
    submit: "Record the hand-over",
    done: (date: string, by: string, note: string) => `Handed to the TLfDI on ${date} by ${by}: ${note}`,
    recordTitle: "Record a demand made by letter or e-mail",
    recordIntro:
      "Access was restricted under section 21 ThürDSG. Where the person demanded by letter, e-mail or otherwise that the supervisory authority be given the information, record it here: the record is produced and the person receives the confirmation.",
    channel: "Received by",
    channels: textsOf({
      letter: "Letter",
      email: "E-mail",
      fax: "Fax",
      phone: "Telephone",
      "in-person": "In person",
    }),
    recordSubmit: "Record the demand",
    errors: textsOf({
      channel: "Please choose how the demand reached us.",
      "not-offered": "Access was not restricted under section 21 ThürDSG in this case.",
      "already-demanded": "The demand has already been recorded for this answer.",
      "unknown-demand": "This demand does not belong to this case.",
      "already-handed-over": "The hand-over has already been recorded.",
      "bad-day": "Please give a day that is neither in the future nor before the demand.",
      "note-required": "Please write how the record was handed over (at least 5 characters).",
    }),
  },

  stores: {
    title: "Access per store (section 21(2) ThürDSG)",
    intro:
      "For each store of the case the data protection officer records, with reasons, whether its data are kept only because of statutory retention duties or only for data security or data-protection control, so that giving access would take disproportionate effort. No access is then given from that store.",
    store: "Store",
    decision: "Decision",
    reasoning: "Reasons",
    decidedBy: "Decided by / on",
    undecided: "not decided yet",
    applies: "Section 21(2) applies: no access",
    notApplies: "Section 21(2) does not apply: access",
    formTitle: "Record a decision",
    choice: "Does section 21(2) ThürDSG apply?",
    yes: "Yes: kept only because of a retention duty or for data security/data-protection control, access disproportionate",
    no: "No: access from this store",
    reasoningHint: "For the file and the supervisory authority; the person does not read this text.",
    submit: "Record the decision",
    recordTitle: "Decisions per store (section 21(2) ThürDSG)",
    errors: textsOf({
      "unknown-store": "This store was not searched in this case.",
      "reasoning-required": "Please give reasons for the decision (at least 20 characters).",
      "not-permitted": "This decision is the data protection officer's.",
    }),
  },

  identity: {
    title: "Identity check",
    intro:
      "An identity document is looked at for the check only; a copy sent to us is deleted once the check is recorded (Art. 12(6) GDPR). What is kept is who checked which document, when, and with what result – of its number only the last four characters, never the document.",
    formTitle: "Record a check",
    how: "How was the document presented?",
    hows: textsOf({
      "in-person": "shown in person (no copy)",
      copy: "sent as a copy (it is deleted)",
    }),
    documentKind: "Kind of document checked",
    kinds: textsOf({
      "id-card": "Identity card",
      passport: "Passport",
      "residence-permit": "Residence permit",
      "other-official": "Other official document",
    }),
    numberTail: "Last four characters of the document number",
    numberTailHint: "Letters and digits only, exactly four – never the whole number.",
    result: "Result",
    results: textsOf({
      confirmed: "Identity confirmed",
      "not-confirmed": "Identity not confirmed",
    }),
    documents: "Copies among the case's documents that were checked (they are deleted)",
    open: (fileName: string) => `Open ${fileName}`,
    uploadedAt: (date: string, byPerson: boolean) =>
      `${byPerson ? "uploaded by the person" : "entered by us"} on ${date}`,
    reason: "Reason if not confirmed, or a note (optional, no document number)",
    submit: "Record the check",
    historyTitle: "Checks recorded",
    checkedAt: "When",
    checkedBy: "Checked by",
    tailShort: "Number ends in",
    reasonShort: "Reason / note",
    message: (files: string, confirmed: boolean) =>
      confirmed
        ? `We have checked your details against the identity document you sent us. We then deleted the document (${files}); we keep only the fact that, and when, we checked.`
        : `We could not confirm your identity with the identity document you sent us. We have deleted the document (${files}). Please contact us if you would like to prove your identity in another way.`,
    messageNoFiles: (confirmed: boolean) =>
      confirmed
        ? "We have checked your details against your identity document. We made no copy; we keep only the fact that, and when, we checked."
        : "We could not confirm your identity with the identity document you showed us. We made no copy. Please contact us if you would like to prove your identity in another way.",
    errors: textsOf({
      "unknown-document": "This document does not belong to this case.",
      "nothing-checked": "Please choose the copies you checked.",
      "number-tail":
        "Please enter exactly the last four characters of the document number, letters and digits only.",
      how: "Please choose how the document was presented.",
      "document-kind": "Please choose the kind of document checked.",
      result: "Please choose the result of the check.",
      invalid: "Please choose how the document was presented, its kind and the result.",
    }),
    fileErrors: textsOf({
      missing: "The file of this document is missing on the server. Please tell the operators.",
      damaged:
        "The file of this document is damaged: its content does not match the stored checksum. Please tell the operators.",
      "unknown-document": "This case holds no such document (any more).",
    }),
  },

  overdue: {
    badge: (date: string) => `Deletion due since ${date}`,
    held: "restricted (legal hold in the store)",
    caseTitle: "Findings past their deletion date",
    caseIntro: (n: number) =>
      `${n === 1 ? "One finding is" : `${n} findings are`} older than the retention period of ${n === 1 ? "its" : "their"} store: ${n === 1 ? "it" : "they"} should have been deleted there. Please have ${n === 1 ? "it" : "them"} deleted and check that the answer's statements on storage periods do not contradict the data.`,
    store: "Store",
    ref: "Reference",
    recordedAt: "Recorded on",
    rule: "Rule",
    dueSince: "Deletion due since",
    more: (n: number) => `… and ${n} more`,
    retentionTitle: "Findings past their deletion date in open cases",
    retentionIntro:
      "Findings that cases found when searching the stores and that are older than their store's retention period: they should have been deleted there. A restricted record (legal hold) is not deleted.",
    noneOverdue: "No finding of an open case is past its deletion date.",
    count: "Findings",
    oldest: "Oldest due since",
    cases: "Cases",
    figure: "Findings past their deletion date (open cases)",
  },
};
