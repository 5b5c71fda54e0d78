import { useMessages } from "#app/i18n";
import { type ExecutionPage, useProposalText } from "./execution-texts";

/** Proposals the second pair of eyes sent back, with the note and whether they were proposed again. */
export function ReturnedProposals({ returned }: { returned: ExecutionPage["returned"] }) {
  const m = useMessages();
  const t = m.execution;
  const proposalText = useProposalText();
  return (
    <section aria-labelledby="returned-heading">
      <h2 id="returned-heading">{t.returned.heading}</h2>
      <p>{t.returned.intro}</p>
      <ul className="plain-list">
        {returned.map((r) => (
          <li key={r.id}>
            <p>
              <strong>{proposalText(r, r)}</strong>
              <br />
              {r.returnedAt
                ? t.returned.sentBackBy(r.returnedByName, m.journey.formatDateTime(r.returnedAt))
                : null}
            </p>
            <p>{`${t.returned.comment}: ${r.returnComment ?? ""}`}</p>
            <p className="note">
              {r.proposedAgain ? t.returned.proposedAgain : t.returned.notYetProposedAgain}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
