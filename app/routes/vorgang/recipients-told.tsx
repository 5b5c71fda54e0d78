import type { Art19ActionKind } from "#app/core/finding-actions";
import { type ProcessingActivityId, processingActivityById } from "#app/core/processing-activities";
import { useLang, useMessages } from "#app/i18n";

/** Art. 19 sentence 2: whom the data centre told of the changes to the person's data. */
export function RecipientsTold({
  recipients,
}: {
  recipients: {
    recipient: string;
    action: Art19ActionKind;
    processingActivityId: string;
    at: string;
    omittedReason: string | null;
  }[];
}) {
  const messages = useMessages();
  const lang = useLang();
  const d = messages.delivery;
  return (
    <section aria-labelledby="empfaenger">
      <h2 id="empfaenger">{d.recipientsTitle}</h2>
      <p>{d.recipientsIntro}</p>
      <ul className="plain-list">
        {recipients.map((r) => (
          <li key={`${r.recipient}-${r.action}-${r.at}`}>
            {r.recipient} –{" "}
            {processingActivityById[r.processingActivityId as ProcessingActivityId]?.name[lang] ??
              r.processingActivityId}
            : {messages.execution.notice.actions[r.action]}, {messages.journey.formatDate(r.at)}
            {r.omittedReason ? ` (${d.recipientNotTold(r.omittedReason)})` : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
