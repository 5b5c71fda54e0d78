/**
 * The person's case page side of § 21(5) ThürDSG: the loader's offer and the action's demand,
 * so that the page needs one loader field and one intent.
 */
import { type AppLoadContext, data } from "react-router";
import { formText } from "../http/form.server";
import { sendQueuedMail } from "../http/context.server";
import { demandTlfdiReview, tlfdiDemandOffer } from "./tlfdi-demand.server";

export type TlfdiDemandOutcome =
  { tlfdiDemand: "done" } | { tlfdiError: "confirm" | "not-offered" | "already-demanded" };

export function tlfdiDemandOfCase(context: AppLoadContext, requestId: string) {
  return tlfdiDemandOffer(context.services.database.db, requestId);
}

/** The demand needs the person's explicit confirmation; it is made once per answer. */
export async function tlfdiDemandAction(context: AppLoadContext, requestId: string, form: FormData) {
  if (formText(form, "confirmTlfdi") !== "yes")
    return data<TlfdiDemandOutcome>({ tlfdiError: "confirm" }, { status: 400 });
  const result = await demandTlfdiReview(context.services.database.db, requestId);
  if (!result.ok) return data<TlfdiDemandOutcome>({ tlfdiError: result.reason }, { status: 409 });
  await sendQueuedMail(context, result.outboxIds);
  return data<TlfdiDemandOutcome>({ tlfdiDemand: "done" });
}
