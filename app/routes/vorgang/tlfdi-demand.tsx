import { getFormProps, useForm } from "@conform-to/react";
import { Form, useActionData } from "react-router";
import { useMessages } from "#app/i18n";
import type { TlfdiDemandView } from "#app/server/complaints/tlfdi-demand.server";
import { checkInBrowser } from "#app/ui/form/browser-check";
import { CheckboxField, FieldError, Honeypot } from "#app/ui/form/fields";
import { useSentBack } from "#app/ui/form/sent-back";
import { tlfdiDemandSchema } from "./forms";

/**
 * § 21(5) ThürDSG on the person's case page: where the answer restricted access, the person may
 * demand that the information be given to the TLfDI (with a confirmation), and sees what became of it.
 */
export function TlfdiDemand({ offer }: { offer: { offered: boolean; demand: TlfdiDemandView | null } }) {
  const m = useMessages();
  const d = m.statutory.demand;
  const outcome = useActionData() as Partial<{ tlfdiDemand: string; tlfdiError: string }> | undefined;
  // The confirmation is checked in the browser too; whether the demand can still be made, only the server knows.
  const [form, fields] = useForm({
    id: "tlfdi-review",
    lastResult: useSentBack("tlfdi-review"),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: checkInBrowser(tlfdiDemandSchema),
  });
  if (!offer.offered && !offer.demand) return null;
  const errorOf = (key: string | undefined) => (key ? (d.errors[key] ?? d.errors.confirm) : undefined);
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
          <Form method="post" {...getFormProps(form)}>
            <Honeypot />
            <input type="hidden" name="intent" value="tlfdi-review" />
            <FieldError id="tlfdi-review-error" message={errorOf(outcome?.tlfdiError)} alert />
            <CheckboxField
              name="confirmTlfdi"
              value="yes"
              label={d.confirm}
              alertError
              error={errorOf(fields.confirmTlfdi.errors?.[0])}
            />
            <button type="submit" className="button button--secondary">
              {d.submit}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
