import { channels } from "#app/core/channels";
import { type SQL, and, arrayContains, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { requests, staffUsers } from "#db/schema";
import { caseStatuses } from "#app/core/case-status";
import { deadlineStatus } from "#app/core/deadline";
import { requestKindSlug } from "#app/core/request-kinds";

/** Cases due within this many days are marked "due soon". */
const dueSoonDays = 7;

const caseFilterSchema = z.object({
  status: z.enum(caseStatuses).optional().catch(undefined),
  kind: requestKindSlug.optional().catch(undefined),
  channel: z.enum(channels).optional().catch(undefined),
  assignee: z
    .union([z.literal("none"), z.literal("me"), z.uuid()])
    .optional()
    .catch(undefined),
});
export type CaseFilter = z.infer<typeof caseFilterSchema>;

export function parseCaseFilter(url: URL): CaseFilter {
  return caseFilterSchema.parse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== "")));
}

/** The staff's case list: received cases only (unproven ones are nobody's work yet), by deadline. */
export async function listStaffCases(db: Db, filter: CaseFilter, staffId: string, now = new Date()) {
  const effectiveDeadline = sql<Date>`coalesce(${requests.extendedDeadline}, ${requests.deadline})`;
  const conditions: (SQL | undefined)[] = [isNotNull(requests.reference)];
  if (filter.status) conditions.push(eq(requests.status, filter.status));
  if (filter.kind) conditions.push(arrayContains(requests.kinds, [filter.kind]));
  if (filter.channel) conditions.push(eq(requests.channel, filter.channel));
  if (filter.assignee === "none") conditions.push(isNull(requests.assigneeId));
  else if (filter.assignee === "me") conditions.push(eq(requests.assigneeId, staffId));
  else if (filter.assignee) conditions.push(eq(requests.assigneeId, filter.assignee));
  const rows = await db
    .select({
      id: requests.id,
      reference: requests.reference,
      status: requests.status,
      kinds: requests.kinds,
      channel: requests.channel,
      receivedAt: requests.receivedAt,
      deadline: effectiveDeadline,
      extended: isNotNull(requests.extendedDeadline),
      closedAt: requests.closedAt,
      assignee: staffUsers.displayName,
    })
    .from(requests)
    .leftJoin(staffUsers, eq(staffUsers.id, requests.assigneeId))
    .where(and(...conditions))
    .orderBy(asc(effectiveDeadline))
    .limit(500);
  return rows.map((row) => {
    const deadline = row.deadline ? new Date(row.deadline) : null;
    return {
      ...row,
      deadline,
      urgency: deadline && !row.closedAt ? deadlineStatus(deadline, now, dueSoonDays) : "open",
    };
  });
}

export async function assignableStaff(db: Db) {
  return db
    .select({ id: staffUsers.id, displayName: staffUsers.displayName })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt))
    .orderBy(staffUsers.displayName);
}
