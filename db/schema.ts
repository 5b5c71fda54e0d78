import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { IndexUse } from "../app/sources/connector";
import type { Suggestion } from "../app/core/suggestions";
import type { CaseStatus } from "../app/core/case-status";
import type { Channel, MessageDirection } from "../app/core/channels";
import type {
  IdentityCheckHow,
  IdentityCheckResultKind,
  IdentityDocumentKind,
} from "../app/core/identity-checks";
import type { AuditAction, AuditActorType } from "../app/core/audit-actions";
import type {
  ActivityDecisionKind,
  ActivityDecisionOutcome,
  ArchiveDecision,
  Art19ActionKind,
  FindingActionKind,
  FindingActionStatus,
} from "../app/core/finding-actions";
import type { IdentifierKind } from "../app/core/identifier-kinds";
import type { Lang } from "../app/core/languages";
import type { MailState, PrintJobPurpose, PrintJobState } from "../app/core/notices";
import type { Permission } from "../app/core/permissions";
import type { ProcessingActivityId } from "../app/core/processing-activities";
import type {
  AuthorityCheckResult,
  AuthorityDocumentKind,
  RepresentativeRole,
} from "../app/core/representation";
import type { AnswerArchiveReason, AnswerArchiveState } from "../app/core/answer-archive-states";
import type { AnswerKind, DeclinableKind, RequestKindSlug } from "../app/core/request-kinds";
import type { RestrictionGroundId } from "../app/core/restriction-grounds";
import type { RetentionRuleId, SweepOutcome, SweepRunStatus, SweepTrigger } from "../app/core/retention";
import type { FindingDecisionKind, ReviewRoundState, StoreJobState } from "../app/core/review-states";
import type { StoreKind } from "../app/core/store-kinds";
import type { AssuranceLevel, ProofSource } from "../app/core/identity-proof";
import type { VerificationType } from "../app/core/verifications";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/**
 * One table for every one-time secret the portal hands out: e-mail codes that prove control of an
 * address, and staff TOTP enrolments. Codes are stored only as hashes.
 */
export const verifications = pgTable(
  "verifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** What the secret is: an e-mail code's purpose, a staff second factor, a person's session (app/core/verifications.ts). */
    type: text("type").$type<VerificationType>().notNull(),
    /** Whom it is for: a normalised e-mail address, a request id or a staff account id. */
    target: text("target").notNull(),
    /** SHA-256 of a one-time code; null for TOTP, whose secret is kept in `secret`. */
    codeHash: text("code_hash"),
    secret: text("secret"),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("verifications_type_target").on(t.type, t.target),
    index("verifications_expires_at").on(t.expiresAt),
  ],
);

/**
 * A request of a data subject (German: Vorgang): one or several kinds, from one channel, with its
 * date of receipt and its Art. 12(3) deadline. Created unproven by the web form; staff intake and
 * proof of the e-mail address make it a case with a reference number.
 */
export const requests = pgTable(
  "requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** DSR-<year>-<6 digits>, given when the request is proven. */
    reference: text("reference").unique(),
    /** The case's lifecycle state (app/core/case-status.ts). */
    status: text("status").$type<CaseStatus>().notNull(),
    /** Request kind slugs of app/core/request-kinds.ts. */
    kinds: text("kinds").array().$type<RequestKindSlug[]>().notNull(),
    channel: text("channel").$type<Channel>().notNull(),
    /** The language the person wrote in and is answered in. */
    lang: text("lang").$type<Lang>().notNull().default("de"),
    /** The normalised address the person wants the answer at. */
    contactEmail: text("contact_email").notNull(),
    /** What each kind needs besides identifiers (corrections, grounds, complaint text …). */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    /** Guards against double submits: the form's one-time token. */
    submissionKey: text("submission_key").unique(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    provenAt: timestamp("proven_at", { withTimezone: true }),
    deadline: timestamp("deadline", { withTimezone: true }),
    extendedDeadline: timestamp("extended_deadline", { withTimezone: true }),
    extensionReason: text("extension_reason"),
    /** An unproven request is erased after this instant. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /**
     * The notice that told the person the case's outcome: an outbox row (mail) or a print job
     * (letter). By letter, the person is told on its dispatch day (statistics, reminders).
     */
    finalNoticeId: uuid("final_notice_id"),
    assigneeId: uuid("assignee_id").references(() => staffUsers.id),
    createdByStaffId: uuid("created_by_staff_id").references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("requests_status").on(t.status),
    index("requests_contact_email").on(t.contactEmail),
    index("requests_deadline").on(t.deadline),
  ],
);

/** What the portal may search the stores for; unproven identifiers are kept and marked. */
export const requestIdentifiers = pgTable(
  "request_identifiers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    kind: text("kind").$type<IdentifierKind>().notNull(),
    value: text("value").notNull(),
    normalized: text("normalized").notNull(),
    /** For IP addresses: when the person used them. */
    validFrom: timestamp("valid_from", { withTimezone: true }),
    validTo: timestamp("valid_to", { withTimezone: true }),
    provenAt: timestamp("proven_at", { withTimezone: true }),
    /** How it was proven (app/core/identity-proof): e-mail code, identity provider or staff check; null while unproven. */
    proofSource: text("proof_source").$type<ProofSource>(),
    /** The eIDAS level the identity provider vouched with (low | substantial | high); null for other proofs. */
    proofLevel: text("proof_level").$type<AssuranceLevel>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("request_identifiers_request").on(t.requestId),
    index("request_identifiers_normalized").on(t.kind, t.normalized),
  ],
);

/** Messages between the person and the data centre, shown on the case page. */
export const requestMessages = pgTable(
  "request_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    /** to-person | from-person */
    direction: text("direction").$type<MessageDirection>().notNull(),
    body: text("body").notNull(),
    authorStaffId: uuid("author_staff_id").references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [index("request_messages_request").on(t.requestId)],
);

/**
 * A request filed for someone else: a representative with a power of attorney, a parent or guardian
 * of a child, a court-appointed Betreuer, an attorney (ADR 0011). The request's identifiers are the
 * represented person's (what is searched); its contact e-mail is the representative's (what was
 * proven). Letters by post go to the representative's address. Erased with the request.
 */
export const representations = pgTable("representations", {
  requestId: uuid("request_id")
    .primaryKey()
    .references(() => requests.id, { onDelete: "cascade" }),
  role: text("role").$type<RepresentativeRole>().notNull(),
  name: text("name").notNull(),
  /** Lines of the representative's postal address ("Musterweg 1\n99084 Erfurt"). */
  postalAddress: text("postal_address"),
  phone: text("phone"),
  createdAt: createdAt(),
});

/**
 * Staff's checks of a representative's authority: who checked, which kind of document, the result.
 * No copy of the document is kept; copies the person uploaded are deleted when the check is recorded.
 * The newest check counts; the answer is released only after a confirmed one.
 */
export const representationChecks = pgTable(
  "representation_checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staffUsers.id),
    documentKind: text("document_kind").$type<AuthorityDocumentKind>().notNull(),
    result: text("result").$type<AuthorityCheckResult>().notNull(),
    /** How many uploaded copies were deleted with this check. */
    deletedCopies: integer("deleted_copies").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("representation_checks_request").on(t.requestId)],
);

/**
 * Documents sent with a request: scans of letters at intake, additions by the person. Their bytes
 * are files under DATA_DIR/documents, named by `sha256` (app/server/document-files.server.ts, ADR 0017).
 */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    /**
     * Only documents stored before they became files (migration 0023) hold their bytes here, until
     * the next start moves them out (`moveLegacyDocuments`); nothing else reads or writes it.
     */
    content: bytea("content"),
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_request").on(t.requestId), index("attachments_sha256").on(t.sha256)],
);

/**
 * Mail is written here in the transaction that causes it and sent by a job, so a page never waits
 * for the mail server and a refused message is retried, not lost.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id").references(() => requests.id, { onDelete: "cascade" }),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    /** [{ fileName, contentType, base64 }] */
    attachments: jsonb("attachments").notNull().default([]),
    status: text("status").$type<MailState>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    messageId: text("message_id"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("mail_outbox_status").on(t.status)],
);

/**
 * Notices for a person who wrote by post: the same text as the mail, laid out as a DIN 5008 letter
 * and kept here until staff print and post it. "waiting" until the dispatch date is recorded; only
 * then has the person been told.
 */
export const printJobs = pgTable(
  "print_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    /** app/core/notices.ts */
    purpose: text("purpose").$type<PrintJobPurpose>().notNull().default("notice"),
    pdf: bytea("pdf").notNull(),
    /** What the mail would have carried, printed and put in the same envelope: [{ fileName, contentType, base64 }] */
    enclosures: jsonb("enclosures").notNull().default([]),
    status: text("status").$type<PrintJobState>().notNull().default("waiting"),
    /** The Berlin calendar day the letter went to the post (YYYY-MM-DD). */
    dispatchedOn: text("dispatched_on"),
    dispatchedBy: uuid("dispatched_by").references(() => staffUsers.id),
    createdAt: createdAt(),
  },
  (t) => [index("print_jobs_status").on(t.status), index("print_jobs_request").on(t.requestId)],
);

/**
 * The audit trail: append-only (a trigger refuses updates), each event carrying the hash of the one
 * before, so that a changed or removed event breaks the chain and `npm run audit:verify` names it.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    requestId: uuid("request_id"),
    /** person | staff | system */
    actorType: text("actor_type").$type<AuditActorType>().notNull(),
    actorId: text("actor_id"),
    action: text("action").$type<AuditAction>().notNull(),
    reason: text("reason"),
    data: jsonb("data").notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    prevHash: text("prev_hash").notNull(),
    /** HMAC-SHA256 under the audit key (AUDIT_KEY, never in the database); plain SHA-256 where not `keyed`. */
    hash: text("hash").notNull(),
    /** False only for events written before the trail was keyed: verification accepts them only before every keyed one. */
    keyed: boolean("keyed").notNull().default(false),
  },
  (t) => [index("audit_events_request").on(t.requestId)],
);

/**
 * Recorded gaps of the audit chain: runs of events the retention sweep deleted after their period
 * (§ 51(4) ThürDSG), with what the chain needs to go on across them — the link of the first, the
 * hash of the last, the count — under the audit key. A trigger refuses deleting an event no gap
 * of the same transaction covers; gaps themselves are never changed or deleted.
 */
export const auditGaps = pgTable("audit_gaps", {
  firstSeq: bigint("first_seq", { mode: "number" }).primaryKey(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull().unique(),
  events: integer("events").notNull(),
  prevHash: text("prev_hash").notNull(),
  lastHash: text("last_hash").notNull(),
  oldestAt: timestamp("oldest_at", { withTimezone: true }).notNull(),
  newestAt: timestamp("newest_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  mac: text("mac").notNull(),
});

/**
 * Signed checkpoints of the audit chain (also kept in a file outside the database): the head's seq
 * and hash and how many events the chain has had up to it, so that cutting off the newest events
 * is found. Append-only.
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    mac: text("mac").notNull(),
  },
  (t) => [index("audit_checkpoints_seq").on(t.seq)],
);

/** Staff accounts: password (argon2id) and TOTP, both mandatory. */
export const staffUsers = pgTable("staff_users", {
  id: uuid("id").primaryKey().defaultRandom(),
  userName: text("user_name").notNull().unique(),
  displayName: text("display_name").notNull(),
  email: text("email").notNull(),
  passwordHash: text("password_hash").notNull(),
  failedSignIns: integer("failed_sign_ins").notNull().default(0),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  /** The time step of the last accepted TOTP code: a code is never accepted twice. */
  lastTotpStep: integer("last_totp_step"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: createdAt(),
});

/** Permissions as data: roles grant permissions; accounts hold roles. */
export const roles = pgTable("roles", {
  id: text("id").primaryKey(),
  nameDe: text("name_de").notNull(),
  nameEn: text("name_en").notNull(),
});

export const rolePermissions = pgTable(
  "role_permissions",
  {
    roleId: text("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    permission: text("permission").$type<Permission>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.permission] })],
);

export const staffUserRoles = pgTable(
  "staff_user_roles",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    roleId: text("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] })],
);

/** Server-side staff sessions, so that a session can be revoked; the cookie holds only the id. */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** False until the TOTP step of the sign-in is passed. */
    totpPassed: boolean("totp_passed").notNull().default(false),
    lastTotpAt: timestamp("last_totp_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("staff_sessions_user").on(t.userId)],
);

/** Counters for rate limits (codes per address and per client, sign-in attempts). */
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    bucket: text("bucket").notNull(),
    at: timestamp("at", { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index("rate_limit_hits_bucket_at").on(t.bucket, t.at)],
);

/**
 * One gathering of a case's data across all stores. A re-gather creates a new version; findings of
 * earlier versions stay for comparison. Review freezes the version it works on.
 */
export const gatherRuns = pgTable(
  "gather_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    startedBy: uuid("started_by").references(() => staffUsers.id),
    frozenAt: timestamp("frozen_at", { withTimezone: true }),
    /**
     * No answer without a search: a DPO's recorded reason to answer although these stores of the
     * run failed or were not searched completely. Stores failing later are not covered by it.
     */
    unsearchedStores: text("unsearched_stores").array(),
    unsearchedReason: text("unsearched_reason"),
    unsearchedReasonBy: uuid("unsearched_reason_by").references(() => staffUsers.id),
    unsearchedReasonAt: timestamp("unsearched_reason_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("gather_runs_request_version").on(t.requestId, t.version)],
);

/** The part of a gathering that one store's job does: its progress, outcome and failure reason. */
export const gatherStoreJobs = pgTable(
  "gather_store_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => gatherRuns.id, { onDelete: "cascade" }),
    store: text("store").notNull(),
    status: text("status").$type<StoreJobState>().notNull().default("queued"),
    progressUnit: text("progress_unit"),
    // Bytes for the logs: a year of a data centre's logs is far more than an integer holds.
    progressScanned: bigint("progress_scanned", { mode: "number" }).notNull().default(0),
    progressTotal: bigint("progress_total", { mode: "number" }),
    findings: integer("findings").notNull().default(0),
    malformed: integer("malformed").notNull().default(0),
    /**
     * Located problems of the scan ({ where, line?, reason, unsearched }: file or record id and line,
     * never content); rows written before problems were located hold plain strings.
     */
    problems: jsonb("problems").notNull().default([]),
    /** Problems beyond those listed, counted only. */
    problemsOmitted: integer("problems_omitted").notNull().default(0),
    /** Done, but part of the store was not searched: its findings may be incomplete. */
    partial: boolean("partial").notNull().default(false),
    /** Database stores: searched through the search index (how far it reached) or without one, and why (ADR 0020). */
    searchIndex: jsonb("search_index").$type<IndexUse>(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("gather_store_jobs_run_store").on(t.runId, t.store)],
);

/** A record of a store that belongs to the case's subject, with its provenance. */
export const findings = pgTable(
  "findings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => gatherRuns.id, { onDelete: "cascade" }),
    store: text("store").notNull(),
    storeKind: text("store_kind").$type<StoreKind>().notNull(),
    processingActivityId: text("processing_activity_id").$type<ProcessingActivityId>().notNull(),
    ref: text("ref").notNull(),
    role: text("role"),
    flags: text("flags").array().notNull(),
    unproven: boolean("unproven").notNull(),
    matched: jsonb("matched").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    /** SHA-256 of the canonical content: a decision holds only for the content it was made on. */
    contentHash: text("content_hash").notNull(),
    suggestions: jsonb("suggestions").$type<Suggestion[]>().notNull().default([]),
  },
  (t) => [
    // A resumed job inserts what it finds again: the unique key makes that a no-op.
    uniqueIndex("findings_run_store_ref").on(t.runId, t.store, t.ref),
    // The case page's order (store, time, reference) and the overdue check's range per store and
    // cut-off instant, read along the index instead of sorting a large case's findings.
    index("findings_run_store_recorded").on(t.runId, t.store, t.recordedAt, t.ref),
  ],
);

/**
 * A reviewer's decision on one finding: release, withhold (ground, reasoning, review date) or redact
 * (fields). Decisions belong to a review round; only an approved round releases anything.
 */
export const findingDecisions = pgTable(
  "finding_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roundId: uuid("round_id")
      .notNull()
      .references(() => reviewRounds.id, { onDelete: "cascade" }),
    findingId: uuid("finding_id")
      .notNull()
      .references(() => findings.id, { onDelete: "cascade" }),
    decision: text("decision").$type<FindingDecisionKind>().notNull(),
    /** A withholding's or redaction's ground; null for a release. */
    groundId: text("ground_id").$type<RestrictionGroundId>(),
    /** The reviewer's internal reasoning: for the file and the TLfDI (§ 21(5) ThürDSG), never the letter. */
    reasoning: text("reasoning"),
    /** The reasons as the person reads them in the letter; null where none are given (release, § 21(4)). */
    personReasons: text("person_reasons"),
    /** § 21(4) ThürDSG: the answer leaves the reasons out. */
    omitReasons: boolean("omit_reasons").notNull().default(false),
    reviewOn: timestamp("review_on", { withTimezone: true }),
    redactedFields: text("redacted_fields")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    contentHash: text("content_hash").notNull(),
    decidedBy: uuid("decided_by")
      .notNull()
      .references(() => staffUsers.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("finding_decisions_round_finding").on(t.roundId, t.findingId)],
);

/** Four eyes: a handler proposes a round of decisions, a DPO who is not the proposer approves it. */
export const reviewRounds = pgTable(
  "review_rounds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => gatherRuns.id, { onDelete: "cascade" }),
    status: text("status").$type<ReviewRoundState>().notNull().default("open"),
    proposedBy: uuid("proposed_by").references(() => staffUsers.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true }),
    decidedBy: uuid("decided_by").references(() => staffUsers.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    comment: text("comment"),
    createdAt: createdAt(),
  },
  (t) => [index("review_rounds_run").on(t.runId)],
);

/** An administrator's setting of a retention rule (period, rounding); the legal bounds stay in code. */
export const retentionSettings = pgTable("retention_settings", {
  ruleId: text("rule_id").$type<RetentionRuleId>().primaryKey(),
  period: jsonb("period").notNull(),
  roundToEndOfYear: boolean("round_to_end_of_year").notNull(),
  updatedBy: uuid("updated_by").references(() => staffUsers.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One sweep: when, why (schedule or by hand), whether it only counted (dry run), how it ended. */
export const sweepRuns = pgTable("sweep_runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  trigger: text("trigger").$type<SweepTrigger>().notNull(),
  dryRun: boolean("dry_run").notNull().default(false),
  status: text("status").$type<SweepRunStatus>().notNull().default("running"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

/** The evidence of a sweep (DIN 66398): per store and rule what went, what was held, when. */
export const sweepEvidence = pgTable(
  "sweep_evidence",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sweepRunId: uuid("sweep_run_id")
      .notNull()
      .references(() => sweepRuns.id, { onDelete: "cascade" }),
    /** A configured store id, or "portal" for the portal's own data. */
    store: text("store").notNull(),
    ruleId: text("rule_id").$type<RetentionRuleId>().notNull(),
    deleted: integer("deleted").notNull().default(0),
    skippedOnHold: integer("skipped_on_hold").notNull().default(0),
    skippedPendingArchive: integer("skipped_pending_archive").notNull().default(0),
    malformed: integer("malformed").notNull().default(0),
    oldestAffected: timestamp("oldest_affected", { withTimezone: true }),
    newestAffected: timestamp("newest_affected", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    outcome: text("outcome").$type<SweepOutcome>().notNull(),
    error: text("error"),
  },
  (t) => [index("sweep_evidence_run").on(t.sweepRunId), index("sweep_evidence_started").on(t.startedAt)],
);

/** Deadline reminders sent: one per case, person and threshold, however often the check runs. */
export const deadlineReminders = pgTable(
  "deadline_reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    /** due-soon | overdue */
    threshold: text("threshold").notNull(),
    /** The deadline the reminder was about: an extension starts the reminders afresh. */
    deadline: timestamp("deadline", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("deadline_reminders_once").on(t.requestId, t.staffId, t.threshold, t.deadline)],
);

/**
 * What a case asks to be done to a finding in its store (Art. 16–18): erase, restrict (legal hold),
 * lift a restriction, rectify. Proposed by a handler, approved by a DPO, carried out by a job.
 */
export const findingActions = pgTable(
  "finding_actions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    findingId: uuid("finding_id")
      .notNull()
      .references(() => findings.id, { onDelete: "cascade" }),
    action: text("action").$type<FindingActionKind>().notNull(),
    status: text("status").$type<FindingActionStatus>().notNull().default("proposed"),
    /** Why erasure is refused (Art. 17(3)), or why it waits: a retention duty and its reference. */
    refusalReason: text("refusal_reason"),
    /** Erasure refused only until this instant: a job carries it out then. */
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** For rectification: field → corrected value; or a supplementary statement. */
    changes: jsonb("changes").$type<Record<string, string>>(),
    supplementaryStatement: text("supplementary_statement"),
    proposedBy: uuid("proposed_by").references(() => staffUsers.id),
    approvedBy: uuid("approved_by").references(() => staffUsers.id),
    /** When the four eyes approved (or the DPO's decision ordered) it: an archive's answer cannot be older. */
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    /** Four eyes said no: the DPO who sent the proposal back, when, and why. The row stays as it was proposed; a new proposal is a new row. */
    returnedBy: uuid("returned_by").references(() => staffUsers.id),
    returnedAt: timestamp("returned_at", { withTimezone: true }),
    returnComment: text("return_comment"),
    /** § 23 ThürDSG: what the archive answered to the offer. */
    archiveDecision: text("archive_decision").$type<ArchiveDecision>(),
    /** The day of the archive's answer (start of the Berlin day). */
    archiveAnsweredAt: timestamp("archive_answered_at", { withTimezone: true }),
    /** The archive's file number or a note on its answer. */
    archiveNote: text("archive_note"),
    executedAt: timestamp("executed_at", { withTimezone: true }),
    /**
     * When the store was last asked to carry it out: a run that died after the store erased the
     * record finds it gone afterwards and knows it was its own doing.
     */
    attemptedAt: timestamp("attempted_at", { withTimezone: true }),
    /** The record's reference after the change, where the store gave it a new one (a rectified log line). */
    storeRef: text("store_ref"),
    /** Why the store did not confirm it (store, operation, reason; never record content). */
    error: text("error"),
    /** A failed action carried out in the store by hand: who said so, when, and how (confirmed by reading the store again). */
    resolvedBy: uuid("resolved_by").references(() => staffUsers.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolutionNote: text("resolution_note"),
    createdAt: createdAt(),
  },
  (t) => [
    index("finding_actions_request").on(t.requestId),
    index("finding_actions_due").on(t.status, t.dueAt),
  ],
);

/** Art. 19: each recipient told of a rectification, erasure or restriction, and when. */
export const recipientNotifications = pgTable(
  "recipient_notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    processingActivityId: text("processing_activity_id").$type<ProcessingActivityId>().notNull(),
    recipient: text("recipient").notNull(),
    action: text("action").$type<Art19ActionKind>().notNull(),
    outboxId: uuid("outbox_id").references(() => mailOutbox.id, { onDelete: "set null" }),
    /** Why a recipient was not told (impossible or disproportionate effort), where that applies. */
    omittedReason: text("omitted_reason"),
    createdAt: createdAt(),
  },
  (t) => [index("recipient_notifications_request").on(t.requestId)],
);

/** Objection (Art. 21) and withdrawal of consent (Art. 7(3)) decided per processing activity. */
export const activityDecisions = pgTable(
  "activity_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    kind: text("kind").$type<ActivityDecisionKind>().notNull(),
    processingActivityId: text("processing_activity_id").$type<ProcessingActivityId>().notNull(),
    outcome: text("outcome").$type<ActivityDecisionOutcome>().notNull(),
    reasoning: text("reasoning").notNull(),
    /** What was done because of it (records restricted or erased, consent marked withdrawn …). */
    effect: text("effect"),
    decidedBy: uuid("decided_by")
      .notNull()
      .references(() => staffUsers.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("activity_decisions_once").on(t.requestId, t.kind, t.processingActivityId)],
);

/**
 * A request kind declined on its merits (Art. 12(4)): a rectification or restriction found
 * unfounded. One row per kind, so a kind is declined once; the case ends as "refused" once every
 * kind it asks for has ended (ADR 0015).
 */
export const kindDeclines = pgTable(
  "kind_declines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    kind: text("kind").$type<DeclinableKind>().notNull(),
    /** The reasons as the person reads them in the notice. */
    personReasons: text("person_reasons").notNull(),
    /** The internal reasoning: for the file and the TLfDI, never in the notice. */
    reasoning: text("reasoning").notNull(),
    /** The notice: an outbox mail or a print job. */
    noticeId: uuid("notice_id").notNull(),
    decidedBy: uuid("decided_by")
      .notNull()
      .references(() => staffUsers.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("kind_declines_once").on(t.requestId, t.kind)],
);

/** A released answer: what the person may download, until when; rendered on demand from the review. */
export const answers = pgTable(
  "answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    roundId: uuid("round_id")
      .notNull()
      .references(() => reviewRounds.id),
    kind: text("kind").$type<AnswerKind>().notNull(),
    /** Fixed at release, so every download of the answer is the same bytes. */
    answeredAt: timestamp("answered_at", { withTimezone: true }).notNull(),
    availableUntil: timestamp("available_until", { withTimezone: true }).notNull(),
    releasedBy: uuid("released_by")
      .notNull()
      .references(() => staffUsers.id),
    /**
     * The notice that told the person: an outbox mail or a print job. For a letter, the answer has
     * reached the person on the day it went to the post, not on the day of release.
     */
    noticeId: uuid("notice_id"),
    createdAt: createdAt(),
  },
  (t) => [index("answers_request").on(t.requestId)],
);

/** One stored entry of a built answer archive: where its deflated data lie in the archive's bytes. */
export interface StoredArchiveEntry {
  name: string;
  /** The entry's date as written in its headers (the answer's date). */
  date: string;
  /** Offset of the entry's deflated data (after its local header) in the archive. */
  offset: number;
  compressed: number;
  size: number;
  crc: number;
}

/**
 * An answer archive built once at release (ADR 0006): the plain ZIP's bytes in `answer_archive_chunks`,
 * written as the writer produced them. A stored copy of the person's data: deleted when the answer's
 * download period ends and with the case (cascade). `failed` when the build's pass found a finding
 * changed since review; downloads then take the on-demand way (which refuses with 409).
 */
export const answerArchives = pgTable("answer_archives", {
  answerId: uuid("answer_id")
    .primaryKey()
    .references(() => answers.id, { onDelete: "cascade" }),
  status: text("status").$type<AnswerArchiveState>().notNull(),
  reason: text("reason").$type<AnswerArchiveReason>(),
  size: bigint("size", { mode: "number" }),
  sha256: text("sha256"),
  entries: jsonb("entries").$type<StoredArchiveEntry[]>(),
  createdAt: createdAt(),
  builtAt: timestamp("built_at", { withTimezone: true }),
});

export const answerArchiveChunks = pgTable(
  "answer_archive_chunks",
  {
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answerArchives.answerId, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    bytes: bytea("bytes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.seq] })],
);

/**
 * A complaint to the supervisory authority (Art. 77), forwarded by the portal. The person chooses
 * explicitly whether their case file goes with it; the mail to the authority goes through the outbox.
 */
export const complaints = pgTable(
  "complaints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The case the complaint is about, or the complaint request itself (kind "beschwerde"). */
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    /** The person's explicit choice; there is no default. */
    attachCaseFile: boolean("attach_case_file").notNull(),
    outboxId: uuid("outbox_id").references(() => mailOutbox.id, { onDelete: "set null" }),
    /** The person's copy and confirmation. */
    copyOutboxId: uuid("copy_outbox_id").references(() => mailOutbox.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("complaints_request").on(t.requestId)],
);

/**
 * § 21(5) ThürDSG: the person demanded that the information kept back be given to the TLfDI. The
 * record is produced at the demand and kept here, so that what staff hand over is what was
 * produced then; staff record when and how they handed it over.
 */
export const tlfdiDemands = pgTable(
  "tlfdi_demands",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    /** The approved review round whose restrictions the demand is about: one demand per round. */
    roundId: uuid("round_id")
      .notNull()
      .references(() => reviewRounds.id, { onDelete: "cascade" }),
    recordPdf: bytea("record_pdf").notNull(),
    recordSha256: text("record_sha256").notNull(),
    demandedAt: timestamp("demanded_at", { withTimezone: true }).notNull(),
    handedOverAt: timestamp("handed_over_at", { withTimezone: true }),
    handedOverBy: uuid("handed_over_by").references(() => staffUsers.id),
    /** How and under which file number it went to the TLfDI. */
    handOverNote: text("hand_over_note"),
  },
  (t) => [uniqueIndex("tlfdi_demands_round").on(t.roundId), index("tlfdi_demands_request").on(t.requestId)],
);

/**
 * Art. 12(6) DS-GVO: an identity check by staff, against a document shown in person or a copy sent
 * (the copy is deleted when the check is recorded). Kept is what was checked — the kind of document
 * and the last four characters of its number, so a second check can tell whether it was the same
 * document — who checked, when, and the result; never the full number, never an image.
 */
export const identityChecks = pgTable(
  "identity_checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    checkedBy: uuid("checked_by")
      .notNull()
      .references(() => staffUsers.id),
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
    how: text("how").$type<IdentityCheckHow>().notNull(),
    documentKind: text("document_kind").$type<IdentityDocumentKind>().notNull(),
    /** Exactly the last four letters or digits of the document's number, upper case. */
    numberTail: text("number_tail").notNull(),
    result: text("result").$type<IdentityCheckResultKind>().notNull(),
    /** Why the identity was not confirmed, or a note; never the document's number. */
    reason: text("reason"),
  },
  (t) => [
    index("identity_checks_request").on(t.requestId, t.checkedAt),
    check("identity_checks_number_tail", sql`${t.numberTail} ~ '^[A-Z0-9]{4}$'`),
  ],
);

/**
 * § 21(2) ThürDSG, decided per store of a case by a DPO: are the store's data kept only because of
 * a retention duty or only for data security or data-protection control, so that access would be
 * disproportionate? The latest decision per case and store holds; earlier ones stay in the audit trail.
 */
export const storeAccessDecisions = pgTable(
  "store_access_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    store: text("store").notNull(),
    /** True: § 21(2) applies, no access to this store's data. */
    applies: boolean("applies").notNull(),
    reasoning: text("reasoning").notNull(),
    decidedBy: uuid("decided_by")
      .notNull()
      .references(() => staffUsers.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("store_access_decisions_case_store").on(t.requestId, t.store)],
);
