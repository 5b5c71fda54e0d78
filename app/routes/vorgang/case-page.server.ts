import type { AppLoadContext } from "react-router";
import { isFinalStatus } from "#app/core/case-status";
import { tlfdiDemandOfCase } from "#app/server/complaints/tlfdi-demand-page.server";
import { answersOf } from "#app/server/delivery/delivery.server";
import { recipientsToldOf } from "#app/server/execution/view.server";
import { ownedCase } from "#app/server/http/owned-case.server";
import {
  identityProviderFor,
  providerNotForRepresentative,
} from "#app/server/requests/identity-provider.server";
import { downloadsUnlocked } from "#app/server/requests/person-session.server";

/**
 * What the person's case page (vorgang-detail.tsx) shows of their own case: the case as they may see
 * it (without its internal id and the contact address), the answers released, what the recipients
 * were told, the § 21(5) offer and the identity provider. Dates as ISO strings for the page.
 */
export async function casePage(request: Request, context: AppLoadContext, reference: string) {
  const { person, view } = await ownedCase(request, context.services, reference);
  const { db } = context.services.database;
  const { id: _id, contactEmail: _contact, ...visible } = view;
  const [released, recipientsTold, tlfdiDemand] = await Promise.all([
    answersOf(db, view.id),
    recipientsToldOf(db, view.id),
    // § 21(5) ThürDSG: the demand that the TLfDI be given what the answer kept back.
    tlfdiDemandOfCase(context, view.id),
  ]);
  return {
    view: visible,
    changeable: !isFinalStatus(view.status),
    answers: released.map((a) => ({
      kind: a.kind,
      availableUntil: a.availableUntil.toISOString(),
      available: a.available,
    })),
    downloadsUnlocked: downloadsUnlocked(person, view.id),
    recipientsTold: recipientsTold.map((r) => ({ ...r, at: r.at.toISOString() })),
    tlfdiDemand,
    /** The identity provider the person may prove name, birth date and address through (issue 19). */
    identityProvider: identityProviderFor(context.services.config, view),
    /** Configured, but not offered to the representative who filed the case: the page says why (ADR 0019). */
    identityNotForRepresentative: providerNotForRepresentative(context.services.config, view),
  };
}
