import { data, redirect } from "react-router";
import { type CaseView, findOwnedCase } from "../requests/case-view.server";
import { type Person, getPerson } from "../requests/person-session.server";
import type { Services } from "../services.server";

/**
 * A page of the person's own case (/vorgang/:referenz/…). Ownership is checked on every load and
 * every action: the case is looked up only among those of the signed-in person's proven addresses;
 * unknown and foreign references both answer 404, and without a proven address it is the sign-in.
 */
export async function ownedCase(
  request: Request,
  services: Pick<Services, "db" | "config">,
  reference: string,
): Promise<{ person: Person; view: CaseView }> {
  const person = await getPerson(request, services.config);
  if (person.emails.length === 0) throw redirect("/vorgang");
  const view = await findOwnedCase(services, person.emails, reference);
  if (!view) throw data(null, { status: 404 });
  return { person, view };
}
