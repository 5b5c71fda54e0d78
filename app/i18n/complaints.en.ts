import type { Messages } from "./de";
import { textsOf } from "./texts";

export const complaintsEn: Messages["complaints"] = {
  title: "Complaint to the supervisory authority",

  page: {
    title: (reference) => `Complaint about case ${reference}`,
    intro: (authority) =>
      `You can complain to the ${authority} if you think we did not handle your data or your request properly. We forward your complaint unchanged and send you a copy. You can also contact the authority directly:`,
    text: "What is your complaint about?",
    textHint:
      "Describe in your own words what you object to. The authority receives this text exactly as you write it.",
    files: "Attachments (optional)",
    filesHint: (count, megabytes) =>
      `Up to ${count} files as PDF, PNG or JPEG, together at most ${megabytes} MB.`,
    caseFileLegend: "May the authority receive your case file?",
    caseFileHint:
      "The case file holds your request, your details, the history, the messages and your documents for this case. Without your consent the authority receives only your complaint and your contact details.",
    caseFileYes: "Yes, the case file may be attached.",
    caseFileNo: "No, forward only my complaint.",
    submit: "Forward complaint",
    sent: "Your complaint is on its way to the supervisory authority. You will receive a copy and a confirmation by e-mail.",
    earlier: "Your complaints about this case",
    none: "You have not forwarded a complaint about this case yet.",
    filedAt: "Filed on",
    state: "Status",
    queued: "being sent",
    sentAt: (at) => `sent on ${at}`,
    failed: "sending disrupted – we are taking care of it",
    caseFile: "Case file",
    caseFileAttached: "attached",
    caseFileNotAttached: "not attached",
    back: "Back to the case",
    link: "Complain to the supervisory authority",
    nextTitle: "What happens next",
    next: (authority) =>
      `${authority} examines your complaint and answers you directly. We do not answer your complaint and provide nothing to download about it; please address questions about your complaint to the authority.`,
  },

  errors: {
    textRequired: "Please describe what your complaint is about.",
    textTooLong: (max) => `The text may be at most ${max} characters long.`,
    choiceRequired:
      "Please choose whether the authority may receive your case file. Without this choice we send nothing.",
    fileType: "Please attach only PDF, PNG or JPEG files.",
    fileTooLarge: (megabytes) => `The attachments are larger than ${megabytes} MB together.`,
    tooManyFiles: (count) => `Please attach at most ${count} files.`,
    rateLimited: "You have filed many complaints in a short time. Please try again in an hour.",
    badForm: "The form could not be read. Please reload the page and try again.",
    documentUnreadable:
      "A document of your case cannot be read at the moment, so we cannot send your case file along. Nothing was sent. We are looking into it; you may also send the complaint without the case file.",
  },

  takenIn: {
    title: (reference) => `Forward complaint – ${reference}`,
    link: "Forward the complaint to the supervisory authority",
    intro: (authority) =>
      `This complaint did not come through the portal but was taken in here. Check the text, record the person's choice about the case file and confirm the forwarding. ${authority} receives the letter to the authority, the attachments below and – only with the person's consent – the case file. The person receives a copy by e-mail or, without an e-mail address, as a letter through the print queue.`,
    text: "The complaint (wording or summary of the letter)",
    textHint: "The authority receives this text; the letter itself prevails and is enclosed.",
    enclosures: "Attachments: the documents of this case (such as the scanned letter)",
    noEnclosures: "None – the authority receives only the text above.",
    caseFileLegend: "Does the person's letter consent to the authority receiving the case file?",
    caseFileHint:
      "Choose “Yes” only if the letter says so explicitly. Without consent the authority receives only the complaint, the attachments and the contact details.",
    caseFileYes: "Yes, the letter consents explicitly.",
    caseFileNo: "No, or the letter does not say.",
    submit: "Confirm forwarding",
    forwarded: (authority) =>
      `The complaint has been forwarded to ${authority}; this closes the case. The supervisory authority examines it and answers the person directly – not we. No answer from us is owed.`,
    sending: (authority) =>
      `The complaint is being sent to ${authority}. It is forwarded once the mail server has accepted it; only then is the case closed.`,
    failedForGood: (authority) =>
      `The complaint has not been forwarded: the mail server refused the e-mail to ${authority} for good or did not accept it after repeated attempts. The case is open. Check the authority's address (setting TLFDI_COMPLAINT_ADDRESS) and send the complaint again; it goes to the address set then.`,
    delivery: "Sending to the authority",
    deliveryFailed: (reason) => `not accepted – the mail server's last answer: ${reason}`,
    resend: "Send again",
    notApplicable: "This case has no complaint taken in here that is still to be forwarded.",
    back: "Back to the case",
    errors: textsOf({
      "already-forwarded": "The complaint has already been forwarded.",
      "not-failed": "This complaint is not waiting to be sent again.",
      "case-ended": "The case was withdrawn or has ended; the complaint is no longer sent.",
      "not-a-taken-in-complaint": "This case has no complaint taken in here that is still to be forwarded.",
      "not-permitted": "You may not forward complaints.",
      "document-unreadable":
        "A document of this case is missing from the documents folder or damaged (the log names the file). Nothing was forwarded.",
    }),
  },

  requestForm: {
    caseFileLegend: "May the authority receive your details and documents for this request?",
    caseFileHint:
      "This means the further details from this form (such as name, postal address, phone numbers, user name, IP addresses). Without your consent the authority receives only your complaint and your contact details.",
    caseFileYes: "Yes, my details may be attached.",
    caseFileNo: "No, forward only my complaint.",
  },

  mail: {
    authoritySubject: (reference) => `Beschwerde nach Art. 77 DS-GVO, weitergeleitet vom TLRZ (${reference})`,
    // The authority works in German: its mail and letter stay German in every catalogue.
    authorityText: (reference, caseFile, takenIn) =>
      `Sehr geehrte Damen und Herren,\n\n${
        takenIn
          ? `eine Person hat sich am ${takenIn.receivedOn} (Eingangsweg: ${takenIn.channel}) an das Thüringer Landesrechenzentrum gewandt und eine Beschwerde an Sie gerichtet (unser Aktenzeichen ${reference}). Wir leiten sie auf ihren Wunsch weiter; das Schreiben mit der Beschwerde ist als PDF beigefügt, das Schreiben der Person, soweit es uns schriftlich vorliegt, als Anlage.`
          : `über das Rechteportal des Thüringer Landesrechenzentrums hat eine Person eine Beschwerde an Sie gerichtet (unser Aktenzeichen ${reference}). Wir leiten sie auf ihren Wunsch unverändert weiter; das Schreiben mit der Beschwerde ist als PDF beigefügt.`
      }\n\n${
        caseFile
          ? "Die Person hat zugestimmt, dass wir Ihnen die Vorgangsakte übermitteln; sie ist beigefügt."
          : "Die Person hat nicht zugestimmt, dass wir Ihnen die Vorgangsakte übermitteln. Sie ist daher nicht beigefügt."
      }\n\nFür Rückfragen erreichen Sie unseren Datenschutzbeauftragten unter den im Schreiben genannten Kontaktdaten.\n\nMit freundlichen Grüßen\nThüringer Landesrechenzentrum`,
    copySubject: (reference) =>
      `Your complaint to the supervisory authority: copy and confirmation (${reference})`,
    copyText: (input) =>
      `Hello,\n\non ${input.date} we handed your complaint over for sending to the supervisory authority:\n${input.authority}\n${input.address}\n\nYour complaint:\n${input.text}\n\n${
        input.files.length > 0 ? `Your attachments: ${input.files.join(", ")}\n\n` : ""
      }${input.caseFile ? "As you chose, we attached the case file." : "As you chose, we did not attach the case file."}\n\nAttached is a copy of the letter to the authority (in German, the authority's language). The authority will contact you directly. You can follow the status here:\n${input.link}\n\nKind regards\nThuringian State Data Centre`,
  },

  letter: {
    fileName: (reference) => `Beschwerde-${reference}.pdf`,
    title: "Forwarding of a complaint under Art. 77 GDPR",
    to: "To",
    from: "From",
    date: "Date",
    salutation: "Dear Sir or Madam,",
    intro:
      "the person named below has addressed a complaint to you through our rights portal and asked us to forward it. We reproduce the text unchanged; we have neither checked nor assessed it.",
    introTakenIn: (channel, receivedOn) =>
      `the person named below turned to us on ${receivedOn} (received by: ${channel}), addressed a complaint to you and asked us to forward it. We have neither checked nor assessed it.`,
    personTitle: "The person",
    name: "Name",
    email: "E-mail address (confirmed)",
    emailGiven: "E-mail address (as given by the person)",
    postalAddress: "Postal address",
    phone: "Phone",
    reference: "Our reference",
    kinds: "What the case is about",
    receivedAt: "Received on",
    complaintTitle: "The complaint",
    textTakenIn:
      "Our staff took the following text from the person's letter. The letter itself prevails; where we hold it in writing, it is enclosed under “The person's attachments”.",
    filesTitle: "The person's attachments",
    noFiles: "none",
    caseFileTitle: "Case file",
    caseFileGiven:
      "The person consented to our sending you the case file. It is attached as a separate PDF file; the history of the case follows here.",
    caseFileWithheld:
      "The person did not consent to our sending you the case file. You therefore receive only the complaint and the contact details. On your request we give information within Art. 58(1) GDPR.",
    timelineTitle: "History of the case",
    questions: "For questions",
    closing: "Kind regards\nThuringian State Data Centre – rights portal",
  },

  dossier: {
    fileName: (reference) => `Vorgangsakte-${reference}.pdf`,
    title: (reference) => `Case file ${reference}`,
    made: (date) => `Made on ${date} for the supervisory authority, with the person's consent.`,
    facts: "Key facts",
    status: "Status",
    channel: "Channel",
    submittedAt: "Submitted on",
    deadline: "Time limit",
    extendedDeadline: "Extended time limit",
    extensionReason: "Reason for the extension",
    answeredAt: "Answered on",
    closedAt: "Closed on",
    details: "Details of the request",
    identifiers: "Details of the person",
    proven: "confirmed",
    unproven: "not confirmed",
    messages: "Messages",
    fromPerson: "From the person",
    toPerson: "To the person",
    documents: "Documents",
    documentAttached: "attached",
    documentTooLarge: "not attached because of its size, available on request",
    none: "none",
  },

  identifierKinds: textsOf({
    email: "E-mail address",
    name: "Name",
    "postal-address": "Postal address",
    phone: "Phone",
    "user-name": "User name",
    ip: "IP address",
    "birth-date": "Date of birth",
  }),

  events: textsOf({
    "complaint.forwarded": "Complaint handed over for sending to the supervisory authority",
    "complaint.sent": "Complaint delivered to the supervisory authority (accepted by the mail server)",
    "complaint.copies-deleted": "After delivery: our copies of the complaint's attachments deleted",
    "request.refused": "Request refused (Art. 12(5) GDPR)",
    "review.opened": "Review of the findings started",
    "review.proposed": "Release proposed",
    "review.approved": "Release approved (four eyes)",
    "review.returned": "Proposal sent back for revision",
  }),

  record: {
    fileName: (reference) => `Nachweis-TLfDI-${reference}.pdf`,
    title: "Record of restricted access (§ 21(5) ThürDSG)",
    intro: (reference) =>
      `Access was restricted in whole or in part for case ${reference}. This record names every finding withheld or redacted, with legal ground, reasoning, decision and approval. It is meant for the supervisory authority.`,
    produced: (date, by) => `Produced on ${date} by ${by}`,
    caseTitle: "Case",
    reference: "Reference",
    kinds: "Request",
    receivedAt: "Received on",
    status: "Status",
    roundTitle: "Release",
    proposedBy: "Proposed by",
    approvedBy: "Approved by",
    refusalTitle: "Refusal of the request",
    refusalReason: "Reasons",
    decidedBy: "Decided by",
    withheldTitle: "Withheld findings",
    redactedTitle: "Redacted details",
    none: "none",
    finding: (index) => `Finding ${index}`,
    store: "Store",
    activity: "Processing activity",
    ref: "Identifier",
    recordedAt: "Recorded on",
    ground: "Legal ground",
    reasoning: "Reasoning",
    omitReasons: "Reasons not given to the person (§ 21(4) ThürDSG)",
    yes: "yes",
    no: "no",
    reviewOn: "Review on",
    decided: "Decided by / on",
    redactedFields: "Redacted fields",
    content: "Content",
    unknownStaff: "unknown account",
    download: "Download the record for the supervisory authority (§ 21(5) ThürDSG, PDF)",
  },

  recordErrors: {
    nothingRestricted:
      "Access was neither restricted nor refused in this case; no record under § 21(5) ThürDSG is needed.",
  },
};
