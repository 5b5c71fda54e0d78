import { useId } from "react";
import { useMessages } from "../i18n";

/** How a case without a download ends, on the person's case page: who answers and in what form. */
export function OutcomeNote({ text }: { text: string }) {
  const j = useMessages().journey;
  const id = useId();
  return (
    <section aria-labelledby={id} data-testid="outcome-note">
      <h2 id={id}>{j.case.outcomeTitle}</h2>
      <p>{text}</p>
    </section>
  );
}
