import { Form, useActionData } from "react-router";
import { useMessages } from "#app/i18n";
import type { TlfdiDemandView } from "#app/server/complaints/tlfdi-demand.server";
import { Honeypot, FieldError } from "#app/ui/form/fields";

/**
 * § 21(5) ThürDSG on the person's case page: where the answer restricted access, the person may
 * demand that the information be given to the TLfDI (with a confirmation), and sees what became of it.
 */
export function TlfdiDemand({ offer }: { offer: { offered: boolean; demand: TlfdiDemandView | null } }) {
  const m = useMessages();
  const d = m.statutory.demand;
  const outcome = useActionData() as Partial<{ tlfdiDemand: string; tlfdiError: string }> | undefined;
  if (!offer.offered && !offer.demand) return null;
  const error = outcome?.tlfdiError ? d.errors[outcome.tlfdiError] : undefined;
  return (
    <section aria-labelledby="tlfdi-pruefung">
      <h2 id="tlfdi-pruefung">{d.title}</h2>
      {outcome?.tlfdiDemand === "done" ? (
        <p className="success" role="status">
          {d.done}
        </p>
      ) : null}
      {offer.demand ? (
        <p data-testid="tlfdi-demand-state">
          {offer.demand.handedOverAt
            ? d.handedOver(m.journey.formatDate(offer.demand.handedOverAt))
            : d.demanded(m.journey.formatDate(offer.demand.demandedAt))}
        </p>
      ) : (
        <>
          <p>{d.intro}</p>
          <Form method="post">
            <Honeypot />
            <input type="hidden" name="intent" value="tlfdi-review" />
            <div className={error ? "choice field--invalid" : "choice"}>
              <input
                type="checkbox"
                id="f-confirmTlfdi"
                name="confirmTlfdi"
                value="yes"
                aria-describedby={error ? "f-confirmTlfdi-error" : undefined}
              />
              <label htmlFor="f-confirmTlfdi">{d.confirm}</label>
            </div>
            <FieldError id="f-confirmTlfdi-error" message={error} alert />
            <button type="submit" className="button button--secondary">
              {d.submit}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
