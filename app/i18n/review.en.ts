import type { Messages } from "./de";
import { textsOf } from "./texts";

export const reviewEn: Messages["review"] = {
  panel: {
    applyTicked: "Save the decision for the selected findings",
    applyCount: (n: string) =>
      n === "1" ? "Save the decision for 1 selected finding" : `Save the decision for ${n} selected findings`,
    applyGroup: (n: string) => `Save the decision for all ${n} findings of the group`,
    aboutTicked: (n: string) =>
      n === "1"
        ? "This decision applies to 1 selected finding."
        : `This decision applies to ${n} selected findings.`,
    aboutGroup: (n: string, filter: string | null) =>
      filter
        ? `This decision applies to all ${n} findings with ${filter}.`
        : `This decision applies to all ${n} findings of the case.`,
    noneTicked: "No finding selected yet.",
    choice: "What happens to the findings",
  },
  confirm: {
    title: "Please confirm – nothing saved yet",
    changes: (n: string) =>
      n === "1"
        ? "1 of the chosen findings is already decided. The new decision would change that decision:"
        : `${n} of the chosen findings are already decided. The new decision would change these decisions:`,
    unproven: (n: string) =>
      n === "1"
        ? "1 finding matches only through an identifier the person has not proven. It is given out only if you confirm separately that it concerns the person."
        : `${n} findings match only through identifiers the person has not proven. They are given out only if you confirm separately that they concern the person.`,
    unprovenCheck: (n: string) =>
      n === "1"
        ? "I have checked: this 1 unproven finding concerns the person and may be given out."
        : `I have checked: these ${n} unproven findings concern the person and may be given out.`,
    newDecision: (decision: string) => `New decision: ${decision}`,
    submit: "Confirm and save",
    cancel: "Cancel, save nothing",
    unprovenRequired: "Please confirm that you have checked the unconfirmed matches – or cancel.",
    listed: (total: string, listed: string) =>
      total === listed ? `${total} findings` : `${total} findings, the first ${listed} listed`,
  },
  difference: {
    notShown: (n: string) =>
      n === "1"
        ? "1 finding sent was not on the page the decision was made from. Nothing was saved."
        : `${n} findings sent were not on the page the decision was made from. Nothing was saved.`,
    changedSinceShown: (n: string) =>
      n === "1"
        ? "1 finding was decided since the page was loaded. Nothing was saved. Please reload the page and check the selection."
        : `${n} findings were decided since the page was loaded. Nothing was saved. Please reload the page and check the selection.`,
    groupChanged: (shown: string, now: string, decided: string) =>
      `The group changed since the page was loaded: ${shown} findings shown, now ${now}; decided since: ${decided}. Nothing was saved.`,
    reload: "Reload the page",
    record: "Finding",
    shown: "On the page",
    now: "Now",
    decidedBy: "Decided by",
    undecided: "open",
    unprovenMark: "only through an unproven identifier",
  },
  errors: {
    "not-shown": "The decision named findings the page did not show. Nothing was saved.",
    "changed-since-shown": "Findings were decided since the page was loaded. Nothing was saved.",
    "confirmation-needed": "The decision needs your confirmation. Nothing has been saved yet.",
    "own-decisions":
      "You decided findings in this review yourself. Someone else must approve it (four-eyes principle).",
    "stores-unsearched":
      "Not every data store was searched completely. Without the search, nothing is reviewed, proposed, approved or answered – unless the data protection officer records a reason.",
    "gathering-running":
      "The search is still running. A reason to answer without a data store can be recorded only once it has ended.",
    "nothing-unsearched": "Every data store was searched completely; there is nothing to give a reason for.",
    "unknown-identifier": "This case has no such identifier, or it is already proven.",
  },
  search: {
    title: "Not every data store searched",
    blocking:
      "These data stores were not searched completely. While that is so, the case is not reviewed, proposed, approved or answered. Try the search again.",
    status: textsOf({
      queued: "waiting",
      running: "running",
      failed: "failed",
      done: "searched only in part",
    }),
    onlyDpo:
      "Only the data protection officer can decide, with a reason, to answer without these data stores.",
    reasonLabel: "Reason for answering without these data stores",
    reasonHint:
      "Kept in the history with your name. The answer letter tells the person which data stores were not searched.",
    reasonSubmit: "Record the reason and answer without these data stores",
    recorded: (name: string, when: string, stores: string, reason: string) =>
      `${name} recorded on ${when} a reason to answer without ${stores}: “${reason}”. The answer letter names these data stores as not searched.`,
  },
  identifiers: {
    kinds: textsOf({
      email: "E-mail address",
      name: "Name",
      phone: "Phone number",
      "user-name": "User name",
      ip: "IP address",
      "birth-date": "Date of birth",
      "postal-address": "Postal address",
    }),
    proven: "proven",
    unproven: "not proven",
    confirm: "Confirm, with evidence",
    evidenceKind: "Evidence",
    evidenceKinds: textsOf({
      "id-document": "Identity document shown",
      contract: "The person's contract or customer account",
      "provider-record": "The provider's record (such as a phone or line bill)",
      "signed-letter": "A declaration signed by the person",
      other: "Other evidence",
    }),
    evidence: "What exactly was checked?",
    evidenceHint:
      "At least 10 characters, such as “Saw the bill of March 2026; the line is the person's”. Kept in the history.",
    submit: "Confirm the identifier",
    unprovenNote:
      "Findings through unproven identifiers are given out only with a separate confirmation. The person proves an e-mail address with a code on their case page; other identifiers you confirm here with the evidence you saw. Findings that matched only through the confirmed identifier count as proven at once; a new gathering (“Gather again (new version)”) finds all others.",
  },
  approval: {
    ownDecisions:
      "You decided findings in this review yourself. Someone else who may approve must approve it (four-eyes principle).",
  },
  person: {
    otherProof:
      "You cannot prove this identifier with a code. We give out findings through it only once it is proven: send us evidence below (such as a bill from your phone provider, or a copy of your identity card on which you may black out everything but name and address), or talk to us.",
    otherProofRepresented: (person) =>
      `This identifier cannot be proven with a code. We give out findings through it only once it is certain that it belongs to ${person ?? "the person you represent"}: send us evidence of theirs below (such as a bill from their phone provider, or a copy of their identity card on which you may black out everything but name and address) and, if you have not yet done so, proof of your authority – the power of attorney, for a child the birth certificate or proof of custody, as a court-appointed guardian your certificate of appointment –, or talk to us.`,
  },
};
