/**
 * What the workflow hands to the answer: the reviewed findings and the decisions about them. Kept
 * small and explicit; everything else the letter says (purposes, recipients, retention, contacts)
 * comes from the register in app/core, so an answer cannot drift from /datenschutz.
 *
 * The answer is a pure function of this input: the same input gives the same letter and the same
 * archive, byte for byte (dates come from `answeredAt`, never from the clock).
 */
import { z } from "zod";
import {
  processingActivityById,
  processingActivityIds,
  type ProcessingActivityId,
} from "#app/core/processing-activities";
import { representativeRoleSchema, type RepresentativeRole } from "#app/core/representation";
import { requestKindSlug, type RequestKindSlug } from "#app/core/request-kinds";
import type { RetentionRule, RetentionRuleId } from "#app/core/retention";
import type { Lang } from "#app/i18n";
import type { Finding, StoreKind } from "#app/sources/connector";
import { redactionReasonCodes, type RedactionReasonCode } from "./redaction";

/**
 * One field the review blanked out. `field` is a dotted path into `content` ("cc", "cc.1",
 * "sachbearbeiter.email"; a numeric part indexes an array). The workflow has already replaced the
 * value; the answer writes null there regardless, so the original can never slip through.
 */
export interface Redaction {
  field: string;
  reasonCode: RedactionReasonCode;
}

/** A connector finding after review: released, with the redactions applied to `content`. */
export interface ReleasedFinding extends Finding {
  redactions: readonly Redaction[];
}

/**
 * The released findings, by store. `list()` may be called several times (a summary pass, then once
 * per file) and must yield the same findings in the same order each time — a database query ordered
 * by a key, or `releasedFromArray`. Passing a store asks only for that store's findings.
 */
export interface ReleasedFindings {
  list(store?: string): Iterable<ReleasedFinding> | AsyncIterable<ReleasedFinding>;
}

/**
 * Findings withheld under a statutory restriction, grouped by ground and processing activity.
 * `reasons` is null where § 21(4) ThürDSG allows leaving them out; the letter then names only the
 * legal reference and points to the TLfDI (§ 21(5)). Data under a Melderegister information block
 * must not reach the answer at all, not even as a group: their existence may not be revealed.
 */
export interface WithheldGroup {
  groundId: string;
  legalReference: string;
  reasons: string | null;
  /** When the DPO checks again whether the ground still holds. */
  reviewDate: Date | null;
  count: number;
  processingActivityId: ProcessingActivityId;
}

/** Who receives the answer: the person, or the representative who filed for them (ADR 0011). */
interface AnswerRecipient {
  name?: string;
  /** Blank where the request came by post without an e-mail address: the postal address is then required. */
  email: string;
  /** Lines of the postal address below the name ("Musterweg 1\n99084 Erfurt"). */
  postalAddress?: string;
}

/**
 * Released records of one store older than its retention rule allows on the answer's date (or kept
 * longer under a legal hold): the letter says so beside the period it states.
 */
export interface OverdueRecords {
  store: string;
  storeKind: StoreKind;
  processingActivityId: ProcessingActivityId;
  ruleId: RetentionRuleId;
  count: number;
  /** The oldest such record's date, as the copy shows it. */
  oldest: Date;
  /** Under legal hold (Art. 18): kept lawfully beyond the period. */
  held: boolean;
}

/** A request filed for someone else, with the authority staff confirmed before release. */
interface AnswerRepresentation {
  role: RepresentativeRole;
  /** The represented person's name as given; the letter names them beside the representative. */
  representedName: string;
}

export interface AnswerInput {
  reference: string;
  lang: Lang;
  receivedAt: Date;
  /** The date the answer bears; also the date of every archive entry and of the PDF. */
  answeredAt: Date;
  recipient: AnswerRecipient;
  /** Set where a representative filed: the recipient is the representative, the data are the represented person's. */
  representation?: AnswerRepresentation;
  kinds: RequestKindSlug[];
  released: ReleasedFindings;
  withheld: WithheldGroup[];
  /** The case's complaint page in the portal, named beside the authority's address. */
  complaintUrl?: string;
  /** Released records past their store's retention period on `answeredAt`; none where not given. */
  overdue?: OverdueRecords[];
  /** The retention rules in force where an administrator changed them; the register's defaults otherwise. */
  retentionRules?: Partial<Record<RetentionRuleId, RetentionRule>>;
}

export class AnswerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnswerInputError";
  }
}

/** Store ids become file names in the archive; the same rule as config/sources.json. */
const STORE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), "invalid date");

const envelopeSchema = z.object({
  // Goes into the PDF's XMP metadata unescaped by pdfkit: letters, digits and hyphens only.
  reference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/),
  lang: z.enum(["de", "en"]),
  receivedAt: validDate,
  answeredAt: validDate,
  recipient: z
    .object({
      name: z.string().trim().min(1).max(200).optional(),
      email: z.string().trim().max(320),
      postalAddress: z.string().trim().min(1).max(1000).optional(),
    })
    .refine((r) => r.email.length >= 3 || r.postalAddress !== undefined, "an e-mail or a postal address"),
  representation: z
    .object({ role: representativeRoleSchema, representedName: z.string().trim().min(1).max(200) })
    .optional(),
  kinds: z.array(requestKindSlug).min(1),
  withheld: z.array(
    z.object({
      groundId: z.string().min(1).max(100),
      legalReference: z.string().min(1).max(200),
      reasons: z.string().min(1).max(5000).nullable(),
      reviewDate: validDate.nullable(),
      count: z.number().int().positive(),
      processingActivityId: z.enum(processingActivityIds),
    }),
  ),
});

/** Checks everything but the findings, which are checked one by one as they stream past. */
export function assertAnswerInput(input: AnswerInput): void {
  const parsed = envelopeSchema.safeParse(input);
  if (!parsed.success) {
    throw new AnswerInputError(
      `answer input: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  if (typeof input.released?.list !== "function")
    throw new AnswerInputError("answer input: released.list is missing");
}

const knownReasons = new Set<string>(redactionReasonCodes);

/** The per-finding check: cheap enough for 100 000 findings, strict where the value becomes a path. */
export function assertReleasedFinding(finding: ReleasedFinding): void {
  if (!STORE_ID.test(finding.store))
    throw new AnswerInputError(`finding ${finding.ref}: store id "${finding.store}" is not a plain id`);
  if (!(finding.processingActivityId in processingActivityById)) {
    throw new AnswerInputError(
      `finding ${finding.ref}: unknown processing activity "${finding.processingActivityId}"`,
    );
  }
  if (!finding.content || typeof finding.content !== "object" || Array.isArray(finding.content)) {
    throw new AnswerInputError(`finding ${finding.ref}: content must be an object`);
  }
  if (!Array.isArray(finding.redactions))
    throw new AnswerInputError(`finding ${finding.ref}: redactions must be a list`);
  for (const redaction of finding.redactions) {
    if (!knownReasons.has(redaction.reasonCode)) {
      throw new AnswerInputError(
        `finding ${finding.ref}: unknown redaction reason "${redaction.reasonCode}"`,
      );
    }
    if (!redaction.field) throw new AnswerInputError(`finding ${finding.ref}: redaction without a field`);
  }
}

/** Released findings held in memory, grouped by store once. */
export function releasedFromArray(findings: readonly ReleasedFinding[]): ReleasedFindings {
  const byStore = new Map<string, ReleasedFinding[]>();
  for (const finding of findings) {
    const list = byStore.get(finding.store) ?? [];
    list.push(finding);
    byStore.set(finding.store, list);
  }
  return { list: (store) => (store === undefined ? findings : (byStore.get(store) ?? [])) };
}
