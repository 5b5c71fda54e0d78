import { Form } from "react-router";
import { useMessages } from "#app/i18n";

/** After approval: the answer becomes downloadable and the person is told. */
export function ReleaseAnswerForm() {
  const m = useMessages();
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="release-answer" />
      <button className="button" type="submit">
        {m.delivery.release}
      </button>
    </Form>
  );
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
