import { staffChannels } from "#app/core/channels";
import { z } from "zod";
import { attachments, requestIdentifiers, requests } from "#db/schema";
import { addDays, berlinDayOf, isBerlinDay, startOfBerlinDay } from "#app/core/berlin-date";
import { answerDeadline } from "#app/core/deadline";
import {
  nameKey,
  normaliseBirthDate,
  normaliseEmail,
  normalisePhone,
  postalAddressKey,
} from "#app/core/identifiers";
import { type RequestKindSlug, requestKindSlug } from "#app/core/request-kinds";
import type { Lang } from "#app/i18n";
import { appendAuditEvent } from "../audit.server";
import { withStagedDocument } from "../document-files.server";
import type { AddedDocument } from "./case-actions.server";
import type { Services } from "../services.server";
import { queueAcknowledgmentMail } from "./mails.server";
import { newReference } from "./reference.server";
import { recordRepresentation } from "./representation.server";
import {
  MAX_LIST_LINES,
  linesOf,
  representativeFields,
  representativeOf,
  validBirthDate,
} from "./request-form";

/** The staff intake form; messages are keys of `journey.errors`. */
export const intakeSchema = z
  .object({
    channel: z.enum(staffChannels, { error: "choice" }),
    receivedOn: z.string({ error: "required" }).trim().refine(isBerlinDay, "dateTime"),
    kinds: z
      .array(z.enum(requestKindSlug.options, { error: "kinds" }), { error: "kinds" })
      .min(1, "kinds")
      .max(8, "kinds"),
    lang: z.enum(["de", "en"], { error: "choice" }),
    email: z
      .string()
      .trim()
      .max(254, "tooLong")
      .optional()
      .refine((v) => !v || normaliseEmail(v) !== null, "email"),
    name: z.string().trim().max(200, "tooLong").optional(),
    postalAddress: z.string().trim().max(1000, "tooLong").optional(),
    phones: z.string().trim().max(1000, "tooLong").optional(),
    note: z.string().trim().max(10_000, "tooLong").optional(),
    /** The represented person's, where a representative filed (the person's own otherwise). */
    birthDate: z
      .string()
      .trim()
      .max(40, "tooLong")
      .optional()
      .refine((v) => !v || validBirthDate(v), "birthDate"),
    ...representativeFields,
  })
  .transform((form, ctx) => {
    const representative = representativeOf(form, ctx);
    // The answer goes to whoever filed: a representative needs their own e-mail or postal address.
    if (representative && !form.email && !representative.postalAddress)
      ctx.addIssue({ code: "custom", message: "required", path: ["representativeAddress"] });
    if (!representative && !form.email && !form.postalAddress)
      ctx.addIssue({ code: "custom", message: "required", path: ["email"] });
    const phones = linesOf(form.phones);
    if (phones.length > MAX_LIST_LINES || phones.some((p) => normalisePhone(p) === null))
      ctx.addIssue({ code: "custom", message: "phoneList", path: ["phones"] });
    // The real date of receipt: not in the future, and a request older than a year is not "new".
    const today = berlinDayOf(new Date());
    if (isBerlinDay(form.receivedOn) && (form.receivedOn > today || form.receivedOn < addDays(today, -366))) {
      ctx.addIssue({ code: "custom", message: "dateTime", path: ["receivedOn"] });
    }
    return { ...form, representative };
  });

export type IntakeForm = z.output<typeof intakeSchema>;

/**
 * A request that came by letter, fax, e-mail, phone or in person joins the same workflow as a web
 * request: a case with reference, the real date of receipt and its deadline. Staff have taken it in,
 * so there is no code to prove; the addresses given are kept unproven until the person proves them.
 */
export async function intakeRequest(
  { db, config }: Pick<Services, "db" | "config">,
  input: { staffId: string; form: IntakeForm; scan: AddedDocument | null },
): Promise<{ reference: string; requestId: string; outboxIds: string[] }> {
  const { form } = input;
  const receivedAt = startOfBerlinDay(form.receivedOn);
  const deadline = answerDeadline(receivedAt);
  const contactEmail = form.email ? normaliseEmail(form.email)! : "";
  const kinds = [...new Set(form.kinds)] as RequestKindSlug[];
  return withStagedDocument({ db, config }, input.scan?.content ?? null, (staged) =>
    db.transaction(async (tx) => {
      const reference = await newReference(tx, Number(form.receivedOn.slice(0, 4)));
      const [created] = await tx
        .insert(requests)
        .values({
          reference,
          status: "received",
          kinds,
          channel: form.channel,
          lang: form.lang,
          contactEmail,
          details: form.note ? { intakeNote: form.note } : {},
          receivedAt,
          deadline,
          createdByStaffId: input.staffId,
        })
        .returning({ id: requests.id });
      const requestId = created!.id;
      const identifiers: (typeof requestIdentifiers.$inferInsert)[] = [];
      // A representative's address is where we write, not what we search (ADR 0011).
      if (contactEmail && !form.representative)
        identifiers.push({ requestId, kind: "email", value: form.email!, normalized: contactEmail });
      if (form.name)
        identifiers.push({ requestId, kind: "name", value: form.name, normalized: nameKey(form.name) });
      if (form.postalAddress)
        identifiers.push({
          requestId,
          kind: "postal-address",
          value: form.postalAddress,
          normalized: postalAddressKey(form.postalAddress),
        });
      for (const phone of linesOf(form.phones))
        identifiers.push({ requestId, kind: "phone", value: phone, normalized: normalisePhone(phone)! });
      const birthDay = form.birthDate ? normaliseBirthDate(form.birthDate) : null;
      if (birthDay)
        identifiers.push({ requestId, kind: "birth-date", value: form.birthDate!, normalized: birthDay });
      if (identifiers.length > 0) await tx.insert(requestIdentifiers).values(identifiers);
      if (form.representative) await recordRepresentation(tx, requestId, form.representative);
      let scanId: string | null = null;
      if (input.scan && staged) {
        await staged.place(tx);
        const [stored] = await tx
          .insert(attachments)
          .values({
            requestId,
            fileName: input.scan.fileName,
            contentType: input.scan.contentType,
            size: staged.size,
            sha256: staged.sha256,
            uploadedBy: `staff:${input.staffId}`,
          })
          .returning({ id: attachments.id });
        scanId = stored!.id;
      }
      await appendAuditEvent(tx, {
        requestId,
        actorType: "staff",
        actorId: input.staffId,
        action: "request.received",
        data: {
          reference,
          channel: form.channel,
          kinds,
          receivedOn: form.receivedOn,
          deadline: deadline.toISOString(),
          scanId,
          representativeRole: form.representative?.role ?? null,
        },
      });
      const outboxIds: string[] = [];
      // A request that came electronically is acknowledged electronically; a letter is answered by letter.
      if (contactEmail) {
        outboxIds.push(
          await queueAcknowledgmentMail(tx, {
            requestId,
            to: contactEmail,
            lang: form.lang as Lang,
            reference,
            kinds,
            receivedAt,
            deadline,
            publicUrl: config.publicUrl,
          }),
        );
      }
      return { reference, requestId, outboxIds };
    }),
  );
}
