/**
 * What the access letter says, as a list of blocks, independent of layout: the PDF lays it out
 * (letter-pdf.server.ts) and index.html shows the same blocks, so both always say the same.
 *
 * The three parts of EDPB Guidelines 01/2022: the confirmation, the Art. 15(1) information for each
 * processing activity that holds this person's data (not the privacy notice), and the copy.
 */
import {
  controller,
  dataProtectionOfficer,
  processingActivities,
  processingActivityById,
  supervisoryAuthority,
  type ContactDetails,
  type ProcessingActivity,
  type ProcessingActivityId,
} from "#app/core/processing-activities";
import { requestKindBySlug, type RequestKindSlug } from "#app/core/request-kinds";
import { isRestrictionGroundId, restrictionGrounds } from "#app/core/restriction-grounds";
import { retentionRules as defaultRetentionRules } from "#app/core/retention";
import { describeRetention } from "#app/core/retention-text";
import type { Lang } from "#app/i18n";
import type { IdentifierKind, StoreKind } from "#app/sources/connector";
import type { AnswerInput, WithheldGroup } from "./answer-input";
import { dataFile, INDEX_FILE, MANIFEST_FILE, SCHEMA_DIR } from "./archive-layout";
import { legalRemedyNotice } from "../rights-notice";
import { redactionReasonCodes, redactionReasons } from "./redaction";
import type { CopySummary } from "./summary";
import { answerTexts, type AnswerTexts } from "./texts";

export type Block =
  | { kind: "heading"; text: string }
  | { kind: "subheading"; text: string }
  | { kind: "paragraph"; text: string }
  /** A short bold lead-in for the list or paragraph that follows. */
  | { kind: "label"; text: string }
  | { kind: "list"; items: string[] };

export interface LetterContent {
  lang: Lang;
  title: string;
  /** The return address above the address field (DIN 5008 "Rücksendeangabe"). */
  senderLine: string;
  letterhead: string[];
  addressLines: string[];
  info: [label: string, value: string][];
  subject: string;
  salutation: string;
  body: Block[];
  closing: string[];
}

/**
 * What the letter must know beyond the released findings to say only what is true, read from the
 * case's review and gathering (app/server/review/review.server.ts: letterFactsOf). Without it the
 * letter claims nothing it cannot prove: it never says "nothing found" nor "all systems searched".
 */
export interface LetterFacts {
  /** Withheld groups as the person may read them: `reasons` is the text written for the person, null under § 21(4). */
  withheld: WithheldGroup[];
  /** Records were withheld without any notice (an information block, a match not confirmed to be the person's). */
  withheldSilently: boolean;
  /** Kinds of identifiers, given but not proven, through which records matched that the answer does not release. */
  unproven: IdentifierKind[];
  /** Stores whose search failed or was partial; the kind where the gathering knows it. */
  unsearched: { store: string; storeKind: StoreKind | null }[];
}

export type LetterInput = AnswerInput & { facts?: LetterFacts };

/** Activities that are part of the answer: the register's order, the portal's own processing last. */
const PORTAL_ACTIVITY: ProcessingActivityId = "rechteportal";

/** Access (Art. 15) and portability (Art. 20) are what this letter answers; anything else gets its own letter. */
const ANSWERED_HERE: readonly RequestKindSlug[] = ["auskunft", "datenuebertragung"];

function kindList(kinds: readonly RequestKindSlug[], lang: Lang): string {
  return kinds
    .map((slug) => {
      const kind = requestKindBySlug[slug];
      return `${kind.label[lang]} (${lang === "de" ? kind.article : kind.articleEn})`;
    })
    .join(", ");
}

function postalLine(address: { street: string; postalCode: string; city: string }): string {
  return `${address.street}, ${address.postalCode} ${address.city}`;
}

/** Activities with data portability: the portability archive holds only their findings. */
export function portabilityActivities(): Set<ProcessingActivityId> {
  return new Set(processingActivities.filter((a) => a.portabilityApplies).map((a) => a.id));
}

export function letterFileName(lang: Lang): string {
  return answerTexts(lang).files.letter;
}

function activitySection(
  activity: ProcessingActivity,
  input: LetterInput,
  summary: CopySummary,
  withheld: readonly WithheldGroup[],
  t: AnswerTexts,
): Block[] {
  const lang = input.lang;
  const a = t.letter.activities;
  const blocks: Block[] = [{ kind: "subheading", text: activity.name[lang] }];
  const found = summary.activities.get(activity.id);
  if (found) {
    const stores = summary.stores
      .filter((s) => found.stores.has(s.store))
      .map((s) => `${t.storeKinds[s.storeKind]} (${s.store})`)
      .join(", ");
    blocks.push({ kind: "paragraph", text: a.found(found.count, stores) });
  }
  const withheldCount = withheld.reduce((sum, g) => sum + g.count, 0);
  if (withheldCount > 0) blocks.push({ kind: "paragraph", text: a.withheld(withheldCount) });
  if (activity.id === PORTAL_ACTIVITY) blocks.push({ kind: "paragraph", text: a.portalFound });

  const rules = activity.retentionRuleIds.map(
    (id) => input.retentionRules?.[id] ?? defaultRetentionRules[id],
  );
  blocks.push(
    { kind: "label", text: a.purposes },
    { kind: "list", items: activity.purposes.map((p) => p[lang]) },
    { kind: "label", text: a.categories },
    { kind: "list", items: activity.dataCategories.map((c) => c[lang]) },
    { kind: "label", text: a.recipients },
    { kind: "list", items: activity.recipients.map((r) => r[lang]) },
    ...namedRecipients(summary.recipients.get(activity.id) ?? [], t),
    { kind: "label", text: a.storage },
    { kind: "list", items: rules.map((rule) => `${rule.dataType[lang]}: ${describeRetention(rule, lang)}`) },
    ...overdueBlocks(activity.id, input, t),
    { kind: "label", text: a.source },
    { kind: "paragraph", text: activity.source[lang] },
    { kind: "label", text: a.objection },
    { kind: "paragraph", text: activity.objectionNote[lang] },
  );
  if (activity.portabilityApplies) blocks.push({ kind: "paragraph", text: a.portability });
  return blocks;
}

/**
 * Released records older than their store's rule allows on the letter's date: the stated period
 * must not contradict the copy, so the letter says so per store (ADR 0011).
 */
function overdueBlocks(activityId: ProcessingActivityId, input: LetterInput, t: AnswerTexts): Block[] {
  const a = t.letter.activities;
  return (input.overdue ?? [])
    .filter((o) => o.processingActivityId === activityId)
    .map((o) => {
      const label = `${t.storeKinds[o.storeKind]} (${o.store})`;
      return {
        kind: "paragraph",
        text: o.held ? a.held(label, o.count) : a.overdue(label, o.count, t.formatDate(o.oldest)),
      };
    });
}

/** At most this many named recipients per activity in the letter; the copy names every one. */
const MAX_NAMED_RECIPIENTS = 25;

function namedRecipients(names: readonly string[], t: AnswerTexts): Block[] {
  if (names.length === 0) return [];
  const a = t.letter.activities;
  const items = names.slice(0, MAX_NAMED_RECIPIENTS);
  if (names.length > items.length) items.push(a.moreRecipients(names.length - items.length));
  return [
    { kind: "label", text: a.namedRecipients },
    { kind: "list", items },
  ];
}

/** The paragraphs on one withheld group: ground, reasons (the person's text), review date; under § 21(4) none of these. */
function withheldBlocks(group: WithheldGroup, lang: Lang, t: AnswerTexts): Block[] {
  const r = t.letter.restrictions;
  if (group.reasons === null) return [{ kind: "paragraph", text: r.omitted }];
  const activity = processingActivityById[group.processingActivityId];
  return [
    { kind: "paragraph", text: r.group(activity.name[lang], group.count, group.legalReference) },
    ...(group.reasons ? [{ kind: "paragraph" as const, text: r.reasons(group.reasons) }] : []),
    ...(group.reviewDate
      ? [{ kind: "paragraph" as const, text: r.review(t.formatDate(group.reviewDate)) }]
      : []),
  ];
}

/**
 * The letter's paragraph on one withholding as the reviewer is about to decide it: shown beside the
 * decision form, so that the reviewer sees what the person will read (and, under § 21(4), that
 * nothing of the ground or the text reaches the letter).
 */
export function withholdingPreview(lang: Lang, group: WithheldGroup): Block[] {
  const t = answerTexts(lang);
  const r = t.letter.restrictions;
  return [
    { kind: "heading", text: r.heading },
    ...withheldBlocks(group, lang, t),
    ...(tlfdiMayBeDemanded(group) ? [tlfdiRight(lang, t, undefined)] : []),
    { kind: "paragraph", text: r.complaint },
    { kind: "paragraph", text: legalRemedyNotice(lang) },
  ];
}

/**
 * Whether a withholding gives the person the right of § 21(5) ThürDSG (the TLfDI checks instead): a
 * § 21 ground, and always where the reasons are left out, which § 21(4) allows only for § 21 refusals.
 */
function tlfdiMayBeDemanded(group: WithheldGroup): boolean {
  return (
    group.reasons === null ||
    (isRestrictionGroundId(group.groundId) && restrictionGrounds[group.groundId].tlfdiMayBeDemanded)
  );
}

/** The case's page in the portal, where the person makes demands: the complaint page's parent, /vorgang/<reference>. */
function casePageOf(complaintUrl: string | undefined, t: AnswerTexts): string {
  return complaintUrl?.replace(/\/beschwerde$/, "") ?? t.letter.unproven.casePage;
}

/** § 21(5) ThürDSG as the person's right to demand, with where to demand it (the case page's button). */
function tlfdiRight(lang: Lang, t: AnswerTexts, complaintUrl: string | undefined): Block {
  return {
    kind: "paragraph",
    text: t.letter.restrictions.tlfdiRight(supervisoryAuthority.name[lang], casePageOf(complaintUrl, t)),
  };
}

/**
 * The withheld groups the person reads about. The review's facts carry the text written for the
 * person; without them `reasons` may be a reviewer's internal note (the workflow passed that on
 * before it kept the two apart), so the letter quotes no free text and gives the statute's reason
 * for the ground instead.
 */
function withheldOf(input: LetterInput): WithheldGroup[] {
  if (input.facts) return input.facts.withheld;
  const reasons = answerTexts(input.lang).groundReasons;
  return input.withheld.map((g) =>
    g.reasons === null ? g : { ...g, reasons: isRestrictionGroundId(g.groundId) ? reasons[g.groundId] : "" },
  );
}

function restrictionSection(input: LetterInput, summary: CopySummary, t: AnswerTexts): Block[] {
  const lang = input.lang;
  const r = t.letter.restrictions;
  const blocks: Block[] = [];
  for (const code of redactionReasonCodes) {
    const n = summary.redactedRecordsByReason.get(code);
    if (!n) continue;
    const reason = redactionReasons[code];
    blocks.push({
      kind: "paragraph",
      text: r.redacted(n, reason.legalReference[lang], reason.explanation[lang]),
    });
  }
  if (summary.redactedRecordsByReason.size > 0) blocks.push({ kind: "paragraph", text: r.marked });

  const withheld = withheldOf(input);
  for (const group of withheld.filter((g) => g.reasons !== null))
    blocks.push(...withheldBlocks(group, lang, t));
  // Where § 21(4) lets the reasons be left out, the legal ground, the activity and the number of
  // records are left out too, and all such groups are one paragraph: each could reveal what the
  // restriction protects (that a security authority looked the person up, for one).
  const omitted = withheld.find((g) => g.reasons === null);
  if (omitted) blocks.push(...withheldBlocks(omitted, lang, t));
  if (blocks.length === 0) return [];
  // § 21(5): wherever a § 21 ground withheld or blanked anything the person is told of, they may demand the TLfDI's check.
  const redactedUnder21 = [...summary.redactedRecordsByReason.keys()].some((code) =>
    code.startsWith("thuerdsg-"),
  );
  if (redactedUnder21 || withheld.some(tlfdiMayBeDemanded))
    blocks.push(tlfdiRight(lang, t, input.complaintUrl));
  // A restriction is a decision against the person: the complaint and the judicial remedy beside it.
  return [
    { kind: "heading", text: r.heading },
    ...blocks,
    { kind: "paragraph", text: r.complaint },
    { kind: "paragraph", text: legalRemedyNotice(lang) },
  ];
}

function copySection(input: LetterInput, summary: CopySummary, t: AnswerTexts): Block[] {
  const c = t.letter.copy;
  const f = t.files;
  const blocks: Block[] = [{ kind: "heading", text: c.heading }];
  const items = [`${INDEX_FILE}: ${f.index}`, `${f.letter}: ${f.letterDescription}`];
  for (const store of summary.stores) {
    const files = `${dataFile(store.store, "json")}, ${dataFile(store.store, "csv")}`;
    const redacted = store.redactedRecords > 0 ? ` (${f.storeRedacted(store.redactedRecords)})` : "";
    items.push(
      `${files}: ${f.store(`${t.storeKinds[store.storeKind]} (${store.store})`, store.count)}${redacted}`,
    );
  }
  if (summary.stores.length > 0) items.push(`${SCHEMA_DIR}: ${f.schemas}`);
  items.push(`${MANIFEST_FILE}: ${f.manifest}`);
  blocks.push({ kind: "paragraph", text: c.intro }, { kind: "list", items });
  blocks.push({ kind: "paragraph", text: summary.total > 0 ? c.formats : c.empty });
  if (input.kinds.includes("datenuebertragung")) {
    const portable = portabilityActivities();
    const hasPortable = [...summary.activities.keys()].some((id) => portable.has(id));
    if (hasPortable)
      blocks.push(
        { kind: "paragraph", text: c.portability },
        { kind: "list", items: [f.portabilityArchive(input.reference)] },
      );
    else blocks.push({ kind: "paragraph", text: c.noPortability });
  }
  return blocks;
}

/** Contact details one per line: addresses and numbers must not be broken at a hyphen. */
function contactLines(contact: ContactDetails, t: AnswerTexts, lang: Lang, withName: boolean): string[] {
  const i = t.letter.info;
  return [
    ...(withName ? [contact.name[lang], postalLine(contact.address)] : []),
    `${i.phone} ${contact.phone}`,
    `${i.email} ${contact.email}`,
    ...(contact.web ? [contact.web] : []),
  ];
}

function rightsSection(lang: Lang, t: AnswerTexts, complaintUrl: string | undefined): Block[] {
  const r = t.letter.rights;
  return [
    { kind: "heading", text: r.heading },
    { kind: "paragraph", text: r.intro },
    {
      kind: "list",
      items: [r.rectification, r.erasure, r.restriction, r.objection, r.withdrawal, r.portability],
    },
    { kind: "paragraph", text: r.how },
    { kind: "paragraph", text: r.complaint },
    { kind: "list", items: contactLines(supervisoryAuthority, t, lang, true) },
    ...(complaintUrl ? [{ kind: "paragraph" as const, text: r.complaintPage(complaintUrl) }] : []),
    { kind: "paragraph", text: r.dpo },
    { kind: "list", items: contactLines(dataProtectionOfficer, t, lang, false) },
  ];
}

/**
 * Whether the answer said yes, and how: "found, all in copy" and "nothing found" only where every
 * store was searched completely and nothing was withheld without notice; otherwise the neutral
 * wording of data "subject to the duty to give access", which is true either way and reveals
 * nothing an information block or § 21 protects.
 */
function confirmationSection(input: LetterInput, summary: CopySummary, t: AnswerTexts): Block[] {
  const c = t.letter.confirmation;
  const facts = input.facts;
  const withheld = withheldOf(input);
  const certain =
    facts !== undefined &&
    facts.unsearched.length === 0 &&
    !facts.withheldSilently &&
    facts.unproven.length === 0;
  const blocks: Block[] = [{ kind: "heading", text: c.heading }];
  if (summary.total === 0 && withheld.length === 0) {
    blocks.push({ kind: "paragraph", text: certain ? c.no : c.none });
  } else {
    const limited = withheld.length > 0 || summary.redactedRecordsByReason.size > 0;
    blocks.push({ kind: "paragraph", text: c.yes });
    if (summary.total === 0) blocks.push({ kind: "paragraph", text: c.limitedOnly });
    else if (limited) blocks.push({ kind: "paragraph", text: c.releasedWithLimits(summary.total) });
    else
      blocks.push({
        kind: "paragraph",
        text: certain ? c.released(summary.total) : c.releasedNeutral(summary.total),
      });
  }
  return blocks;
}

/** Identifiers the person gave but has not proven, under which unreleased records matched: how to prove each. */
function unprovenSection(input: LetterInput, t: AnswerTexts): Block[] {
  const kinds = input.facts?.unproven ?? [];
  if (kinds.length === 0) return [];
  const u = t.letter.unproven;
  const label = (k: IdentifierKind) => t.identifierKinds[k];
  const others = kinds.filter((k) => k !== "email");
  const casePage = casePageOf(input.complaintUrl, t);
  return [
    { kind: "heading", text: u.heading },
    { kind: "paragraph", text: u.intro(kinds.map(label).join(", ")) },
    {
      kind: "list",
      items: [
        ...(kinds.includes("email") ? [u.email(casePage)] : []),
        ...(others.length > 0 ? [u.other(others.map(label).join(", "))] : []),
      ],
    },
  ];
}

export function letterContent(input: LetterInput, summary: CopySummary): LetterContent {
  const lang = input.lang;
  const t = answerTexts(lang);
  const l = t.letter;
  const withheldVisible = withheldOf(input).filter((g) => g.reasons !== null);
  const confirmation = [...confirmationSection(input, summary, t), ...unprovenSection(input, t)];

  const holding = processingActivities.filter(
    (a) =>
      a.id !== PORTAL_ACTIVITY &&
      (summary.activities.has(a.id) || withheldVisible.some((g) => g.processingActivityId === a.id)),
  );
  const portal = processingActivities.find((a) => a.id === PORTAL_ACTIVITY)!;
  const activities: Block[] = [
    { kind: "heading", text: l.activities.heading },
    { kind: "paragraph", text: l.activities.intro },
  ];
  for (const activity of [...holding, portal]) {
    const groups = withheldVisible.filter((g) => g.processingActivityId === activity.id);
    activities.push(...activitySection(activity, input, summary, groups, t));
  }
  activities.push({ kind: "paragraph", text: l.activities.thirdCountries });

  const unsearched = input.facts?.unsearched;
  const searchedAll = unsearched !== undefined && unsearched.length === 0;
  const intro: Block[] = [
    {
      kind: "paragraph",
      text: (searchedAll ? l.intro : l.introSearched)(
        t.formatDate(input.receivedAt),
        kindList(input.kinds, lang),
      ),
    },
  ];
  if (unsearched && unsearched.length > 0) {
    intro.push({
      kind: "paragraph",
      text: l.unsearched(
        unsearched
          .map((s) => (s.storeKind ? `${t.storeKinds[s.storeKind]} (${s.store})` : s.store))
          .join(", "),
      ),
    });
  }
  const representation = input.representation;
  if (representation)
    intro.unshift({
      kind: "paragraph",
      text: l.representation.intro(
        l.representation.roles[representation.role],
        representation.representedName,
      ),
    });
  const others = input.kinds.filter((k) => !ANSWERED_HERE.includes(k));
  if (others.length > 0) intro.push({ kind: "paragraph", text: l.otherKinds(kindList(others, lang)) });

  const recipient = input.recipient;
  const addressLines = [
    ...(recipient.name ? [recipient.name] : []),
    ...(recipient.postalAddress
      ? recipient.postalAddress
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean)
      : [l.byEmail(recipient.email)]),
  ];
  const postBox = controller.postBox ?? controller.address;
  // The return address must fit one line of the address field; the register's name carries the
  // abbreviation in brackets, which the post does not need.
  const shortName = controller.name[lang].replace(/\s*\([^)]*\)$/, "");

  return {
    lang,
    title: l.title(input.reference),
    senderLine: `${shortName} · ${postBox.street} · ${postBox.postalCode} ${postBox.city}`,
    letterhead: [
      controller.name[lang],
      postalLine(controller.address),
      `${l.info.phone} ${controller.phone} · ${controller.email}`,
    ],
    addressLines,
    info: [
      [l.info.reference, input.reference],
      [l.info.received, t.formatDate(input.receivedAt)],
      ...(representation
        ? [[l.representation.dataSubject, representation.representedName] as [string, string]]
        : []),
      [l.info.date, t.formatDate(input.answeredAt)],
      [l.info.contact, l.info.contactName],
      [l.info.phone, dataProtectionOfficer.phone],
      [l.info.email, dataProtectionOfficer.email],
    ],
    subject: representation ? l.representation.subject(representation.representedName) : l.subject,
    salutation: l.salutation(recipient.name),
    body: [
      ...intro,
      ...confirmation,
      ...activities,
      ...restrictionSection(input, summary, t),
      ...copySection(input, summary, t),
      { kind: "heading", text: l.automated.heading },
      { kind: "paragraph", text: l.automated.text },
      ...rightsSection(lang, t, input.complaintUrl),
    ],
    closing: [l.closing, controller.name[lang], l.machine],
  };
}
