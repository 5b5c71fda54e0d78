import { IntentButton } from "#app/ui/form/intent-button";
import { useMessages } from "#app/i18n";

/** After approval: the answer becomes downloadable and the person is told. A form that is only a button. */
export function ReleaseAnswerForm() {
  const m = useMessages();
  return <IntentButton intent="release-answer" label={m.delivery.release} />;
}

/** A released answer, with the letter to print for a person who asked for paper. */
export function ReleasedAnswerNote({ requestId }: { requestId: string }) {
  const m = useMessages();
  return (
    <p>
      {m.delivery.released} <a href={`/intern/vorgaenge/${requestId}/brief.pdf`}>{m.delivery.paperLetter}</a>
    </p>
  );
}
