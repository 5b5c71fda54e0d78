import type { Messages } from "./de";
import { durationParts } from "../sources/gathering-estimate";
import type { GivenUpHow } from "../core/store-given-up";
import { textsOf } from "./texts";

const count = new Intl.NumberFormat("en-GB");
const decimal = new Intl.NumberFormat("en-GB", { maximumSignificantDigits: 3 });

export const staffEn: Messages["staff"] = {
  areaName: "Staff area",
  signIn: {
    title: "Staff sign-in",
    intro:
      "This area is for staff of the TLRZ. Signing in takes two steps: your password, then a code from your authenticator app.",
    userName: "User name",
    password: "Password",
    submit: "Continue",
    invalid: "User name or password is wrong.",
    locked: (until: string) => `After several failed attempts the account is locked until ${until}.`,
    tooMany: "Too many sign-in attempts from this device. Please wait a quarter of an hour.",
    userNameRequired: "Please enter your user name.",
    passwordRequired: "Please enter your password.",
  },
  code: {
    title: "Confirm with a code",
    intro:
      "Enter the six-digit code from your authenticator app. If you do not have the device with you, use one of your recovery codes.",
    label: "Code",
    hint: "Six digits or a recovery code (for example 1A2B3-C4D5E)",
    submit: "Sign in",
    invalid: "The code is wrong, expired or was already used.",
    locked: "Too many wrong codes: the account is locked for a while.",
    expired: "Your sign-in has expired. Please start again.",
    restart: "Sign in again",
    required: "Please enter the code.",
  },
  enrol: {
    title: "Set up two-factor sign-in",
    intro:
      "Signing in with a second factor is mandatory. Scan the QR code with an authenticator app (for example FreeOTP or Aegis) and enter the code it shows.",
    qrLabel: "QR code to set up the authenticator app",
    manual: "Or enter this key by hand:",
    uri: "Set-up address (otpauth)",
    submit: "Confirm set-up",
    invalid: "The code does not match. Check your device's clock and try again.",
    doneTitle: "Set up: your recovery codes",
    doneIntro: "Keep these codes safe. Each one replaces the app's code once. They are shown only now.",
    continue: "Continue to the staff area",
  },
  fresh: {
    title: "Confirm again",
    intro: "This action needs a current code from your authenticator app.",
    submit: "Confirm",
  },
  home: {
    title: "Staff area",
    welcome: (name: string) => `Signed in as ${name}`,
    roles: "Your roles",
    sessions: "Signed-in sessions",
    signOut: "Sign out",
  },
  sessions: {
    title: "Signed-in sessions",
    intro: "End any session you do not recognise here, at once.",
    who: "Person",
    since: "Signed in since",
    until: "Valid until",
    action: "Action",
    revoke: "End session",
    current: "this session",
    none: "No active sessions.",
    revoked: "The session was ended.",
  },
  cases: {
    title: "Cases",
    filter: "Filter",
    all: "all",
    status: "Status",
    kind: "Kind",
    channel: "Channel",
    assignee: "Handler",
    unassigned: "unassigned",
    mine: "mine",
    apply: "Apply",
    reference: "Reference",
    received: "Received",
    deadline: "Deadline",
    none: "No cases for this selection.",
    dueSoon: "due soon",
    overdue: "overdue",
    extended: "extended",
    count: (n: number) => `${n} cases, sorted by deadline`,
    statuses: textsOf({
      unproven: "unconfirmed",
      received: "received",
      gathering: "gathering data",
      review: "in review",
      approved: "approved",
      answered: "answered",
      "carried-out": "carried out",
      forwarded: "forwarded to the TLfDI",
      refused: "refused",
      withdrawn: "withdrawn",
    }),
    channels: textsOf({
      web: "web form",
      email: "e-mail",
      letter: "letter",
      fax: "fax",
      phone: "phone",
      "in-person": "in person",
    }),
  },
  case: {
    back: "Back to the case list",
    facts: "Details",
    identifiers: "Search identifiers",
    proven: "confirmed",
    unprovenId: "not confirmed",
    assignTo: "Assign to",
    assign: "Assign",
    gathering: "Gathering",
    startGather: "Gather data",
    regather: "Gather again (new version)",
    version: (v: number) => `Version ${v}`,
    compared: (previous: number, added: number, removed: number, changed: number) =>
      `Compared with version ${previous}: ${added} new, ${removed} no longer found, ${changed} with changed content.`,
    frozen: "frozen for review",
    store: "Source",
    state: "State",
    progress: "Progress",
    found: "Findings",
    retry: "Try again",
    storeStates: textsOf({ queued: "waiting", running: "running", done: "done", failed: "failed" }),
    refresh: "Refresh",
    problemsHeading: "Notes",
    partial: "Partly searched: parts of this store were not read; it may hold further data of the person.",
    givenUp: {
      "cut-off": (tries: number) =>
        `The search was cut off ${tries} times (its worker stopped or it ran out of time); the store has not been searched. Please retry.`,
      "not-started": (tries: number) =>
        `The search never began (its job was given up after ${tries} tries); the store has not been searched. Please retry.`,
    } satisfies Record<GivenUpHow, (tries: number) => string>,
    malformed: (n: number) => (n === 1 ? "1 record could not be read." : `${n} records could not be read.`),
    problemsOf: (store: string) => `Notes on ${store}`,
    problemAt: (where: string, line: number | null) => (line === null ? where : `${where}, line ${line}`),
    notSearched: "not searched",
    furtherProblems: (n: number) =>
      n === 1 ? "1 further note (not listed one by one)" : `${n} further notes (not listed one by one)`,
    searchedWithoutIndex: textsOf({
      missing: "Searched without index (none has been built): every record was read.",
      outdated:
        "Searched without index (it was built by an older version and must be rebuilt): every record was read.",
      unreadable: "Searched without index (it cannot be read): every record was read.",
      untracked:
        "Searched without index (changes to the records were not noted without gaps; it must be rebuilt): every record was read.",
    }),
    indexCovers: (use) => {
      const upTo = (mark: string) => `up to no. ${count.format(BigInt(mark))}`;
      // A mark of null: the index covers no record yet (none is filed), so no number is named.
      const tables = "tables" in use ? use.tables : [{ table: null, coveredUpTo: use.coveredUpTo }];
      const newer = use.newerRows;
      const changed = use.changedRows ?? 0;
      if (newer + changed === 0) {
        // Nothing read without the index: a table whose index covers nothing held no record.
        const marks = tables.map(({ table, coveredUpTo }) =>
          coveredUpTo === null
            ? `${table === null ? "the table" : `table ${table}`} held no record`
            : `${table === null ? "" : `in table ${table} `}${upTo(coveredUpTo)}`,
        );
        return tables.length === 1 && tables[0]!.coveredUpTo === null
          ? `Searched through the index; ${marks[0]}.`
          : `Searched through the index; it covers every record (${marks.join(tables.some((t) => t.coveredUpTo === null) ? "; " : " and ")}).`;
      }
      const covers = tables.every((t) => t.coveredUpTo === null)
        ? "which covers no record yet"
        : `which covers the records ${tables
            .map(({ table, coveredUpTo }) =>
              coveredUpTo === null
                ? `none yet in table ${table}`
                : `${table === null ? "" : `in table ${table} `}${upTo(coveredUpTo)}`,
            )
            .join(" and ")}`;
      const read = [
        newer === 0 ? null : newer === 1 ? "1 newer record" : `${count.format(newer)} newer records`,
        changed === 0
          ? null
          : changed === 1
            ? "1 record written or changed since indexing"
            : `${count.format(changed)} records written or changed since indexing`,
      ]
        .filter(Boolean)
        .join(" and ");
      return `Searched through the index, ${covers}; ${read} ${newer + changed === 1 ? "was" : "were"} read without it.`;
    },
    expected: "Expected",
    duration: (seconds: number) => {
      const { hours, minutes, secs } = durationParts(seconds);
      if (hours > 0) return `about ${hours} h${minutes > 0 ? ` ${minutes} min` : ""}`;
      return minutes > 0 ? `about ${minutes} min` : `about ${secs} s`;
    },
    expectedTotal: (duration: string, cpuSeconds: number, gigabytes: number) =>
      `With the configured sizes of the stores, one request's search takes ${duration}; it costs ${count.format(Math.round(cpuSeconds))} seconds of CPU and reads ${decimal.format(gigabytes)} GB.`,
    expectedUnsized: (stores: string) => `No size configured, so not counted: ${stores}.`,
    expectedAssumesIndex: (stores: string, duration: string) =>
      `This assumes that the search index of ${stores} is built and current. Without it (none built, built by an older version, or its record of changes has a gap: the gathering table then says "Searched without index") every record is read, and the search takes ${duration}.`,
    expectedWithIndex: (withIndex: string, withoutIndex: string) =>
      `${withIndex} with its index, ${withoutIndex} without`,
    failedActionsHeading: "Actions not confirmed",
    failedActionsIntro: (n: number) =>
      n === 1
        ? "The store did not confirm one action. The person and the recipients learn nothing of it until it is confirmed."
        : `The stores did not confirm ${n} actions. The person and the recipients learn nothing of them until they are confirmed.`,
    failedActionsLink: "Run again or resolve by hand (carrying out)",
    findings: "Findings and review",
    noFindings: "No findings.",
    suggestion: "Suggestion",
    decision: "Decision",
    decisions: textsOf({ release: "release", withhold: "withhold", redact: "redact" }),
    undecided: "open",
    select: "select",
    ground: "Ground",
    reasoning: "Reasoning (required to withhold or redact)",
    reviewOn: "Review again on (required to withhold)",
    omitReasons: "Leave the reasons out of the answer (§ 21(4) ThürDSG)",
    fields:
      "Tick the fields to redact in the record (“redact”); they are redacted in every selected finding.",
    record: {
      raw: "Record as stored (JSON)",
      redact: "redact",
      suggested: "(suggested: redact, other people's data)",
      entries: (n: number) => `${n} entries`,
      rawLineNote:
        "If a field of this line is redacted, the stored line (raw data) is redacted too: it holds every field again.",
    },
    applyDecision: "Save the decision for the selected findings",
    filterFindings: "Filter findings",
    filterState: "State of the decision",
    allFindings: "all",
    noSuggestion: "no suggestion",
    applyFilter: "Apply filter",
    showAll: "Show all findings",
    withCount: (label: string, n: string) => `${label} (${n})`,
    findingsCount: (total: string) => `${total} findings`,
    undecidedCount: (undecided: string) => `${undecided} undecided`,
    byStore: "Findings by source",
    matching: (matching: string) => `The filter matches ${matching} findings.`,
    pageOf: (page: string, pages: string, from: string, to: string) =>
      `Page ${page} of ${pages}: findings ${from} to ${to}.`,
    noneMatching: "No finding matches the filter.",
    pageEmpty: (pages: string) =>
      `No finding is left on this page; the filter's findings fill ${pages} pages.`,
    pages: "Pages of findings",
    page: "Page",
    previousPage: "Previous page",
    nextPage: "Next page",
    scope: "Apply to",
    scopeChecked: "the ticked findings on this page",
    scopeFilter: (n: string, filter: string) => `all ${n} findings matching the filter (${filter})`,
    scopeAll: (n: string) => `all ${n} findings of this case`,
    startReview: "Start review (freezes the findings)",
    propose: "Submit for approval",
    approve: "Approve (four eyes)",
    sendBack: "Send back",
    sendBackComment: "Note for sending back",
    roundStates: textsOf({
      open: "in review",
      proposed: "submitted for approval",
      approved: "approved",
      returned: "sent back",
    }),
    errors: textsOf({
      "no-gathering": "There is no gathering yet.",
      "not-open": "This review is no longer open.",
      "foreign-finding": "The selection does not belong to this case.",
      "unknown-ground": "Please choose a ground from the catalogue.",
      "reasoning-required": "Please give reasons for the decision (at least ten characters).",
      "review-date-required": "Please give a future date for the next review.",
      "reasons-not-omissible": "With this ground the reasons may not be left out.",
      "unknown-field":
        "A ticked field is not in every selected finding. Please tick only fields that all selected findings have.",
      "undecided-findings": "Every finding needs a decision.",
      "unknown-store": "This source has no findings in this case.",
      "invalid-filter":
        "There is no such filter: please choose source, suggestion, state and page from those offered.",
      "no-matching-findings": "No finding matches the filter.",
      "selection-changed":
        "The findings matching the filter have changed since the page was shown. Please check the number and decide again.",
      "not-proposed": "The review has not been submitted for approval.",
      "own-proposal": "You cannot approve your own proposal.",
      "not-permitted": "You do not have permission for this.",
      "changed-since-review": "A finding has changed since it was reviewed.",
      "too-late": "An extension is possible only within the first month.",
      "already-extended": "The deadline has already been extended.",
      "reasons-required": "Please give full reasons (at least 20 characters).",
      "unknown-case": "The case has not been received yet.",
      "not-approved": "There is no approved review yet.",
      closed: "The case is already closed.",
      "internal-reasoning-required": "Please write the internal reasoning (at least 20 characters).",
      "kind-not-declinable":
        "Only a requested rectification or restriction that has not been declined yet can be declined.",
      "already-declined": "This part of the request has already been declined.",
      "actions-open":
        "An action on this part of the request is still proposed, approved or failed. Decide on it first.",
      "already-carried-out": "This part of the request has already been carried out.",
      "already-released": "The answer of this review has already been released; there is no second release.",
      "unknown-assignee": "There is no such staff member (any more). Please choose again.",
      invalid: "The input is incomplete.",
    }),
    saved: "Saved.",
    extend: "Extend the deadline (Art. 12(3) GDPR)",
    extendMonths: "By how many months?",
    oneMonth: "one month",
    twoMonths: "two months",
    extendReasons: "Reasons (told to the person)",
    extendSubmit: "Extend and notify the person",
    refuse: "Refuse the request (Art. 12(5) GDPR)",
    refuseGround: "The request is",
    refuseReasons: "Reasons (told to the person)",
    refuseSubmit: "Refuse and notify the person",
    decline: "Decline as unfounded (Art. 12(4) GDPR)",
    declineIntro:
      "For a rectification or restriction that turns out to be unfounded on its merits (the data are accurate, no case of Art. 18(1) GDPR). The person receives the reasons with the right to complain and the information on legal remedies; if nothing else is open, the case ends as declined.",
    declineKinds: "Which part of the request is declined?",
    declinePersonReasons: "Reasons for the person (appear in the notice)",
    declineReasoning: "Internal reasoning (for the file and the TLfDI, never in the notice)",
    declineSubmit: "Decline as unfounded and notify the person",
    declined: (kinds: string, date: string) => `Declined as unfounded: ${kinds} (on ${date})`,
  },
  storeChecks: {
    title: "Source stores",
    intro:
      "Every configured source store is checked when this page loads: can it be reached and read? A store that does not answer within the waiting time counts as not reachable.",
    store: "Store",
    kind: "Kind",
    result: "Check",
    ok: "reachable",
    notReachable: "not reachable",
    timedOut: (seconds: number) => `no answer within ${seconds} seconds`,
    misconfigured: "Not set up (invalid configuration)",
    misconfiguredIntro:
      "These entries of the configuration could not be set up; they are neither searched nor changed.",
    none: "None.",
    checkedAt: (time: string) => `Checked: ${time}`,
    again: "Check again",
  },
  notices: {
    rightsFooter: (authority: string, address: string, complaintLink: string) =>
      `You have the right to lodge a complaint with the supervisory authority: ${authority}, ${address}. The rights portal can forward your complaint: ${complaintLink}`,
    extensionSubject: (reference: string) => `Your request ${reference}: we need more time`,
    extensionBody: (reference: string, deadline: string, reasons: string) =>
      `Hello,\n\nwe are working on your request ${reference}. Unfortunately we cannot complete it within one month and extend the time limit under Art. 12(3), second sentence, GDPR until ${deadline}.\n\nThe reasons:\n${reasons}`,
    refusalSubject: (reference: string) => `Your request ${reference}: decision`,
    refusalBody: (reference: string, ground: string, reasons: string) =>
      `Hello,\n\nwe will not act on your request ${reference} because it is ${ground} (Art. 12(5), second sentence, point (b) GDPR).\n\nThe reasons:\n${reasons}\n\nYou may bring an action against this decision before the competent administrative court (Art. 78, 79 GDPR, § 20 ThürDSG).`,
    unfounded: "manifestly unfounded",
    excessive: "excessive",
    signature: "Kind regards\nThuringian State Data Centre",
  },
};
