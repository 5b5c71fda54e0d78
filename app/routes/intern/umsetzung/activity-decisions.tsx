import { Form } from "react-router";
import { useLocalized, useMessages } from "#app/i18n";
import type { ExecutionPage } from "./execution-texts";

/** Objection and withdrawal of consent, decided per processing activity, or the decision taken. */
export function ActivityDecisions({
  activities,
  kinds,
  decisions,
  mayDecide,
}: {
  activities: ExecutionPage["activities"];
  kinds: string[];
  decisions: ExecutionPage["decisions"];
  mayDecide: boolean;
}) {
  const m = useMessages();
  const t = m.execution;
  const localized = useLocalized();
  return (
    <>
      <h2>{t.decisionsHeading}</h2>
      {activities.map((activity) => (
        <section key={activity.id} className="execution-activity" aria-labelledby={`act-${activity.id}`}>
          <h3 id={`act-${activity.id}`}>{localized(activity.name)}</h3>
          <p className="note">{localized(activity.objectionNote)}</p>
          {(["objection", "withdrawal"] as const)
            .filter((kind) => kinds.includes(kind === "objection" ? "widerspruch" : "widerruf"))
            .map((kind) => {
              const decided = decisions.find(
                (d) => d.kind === kind && d.processingActivityId === activity.id,
              );
              if (decided) {
                const effect = decided.effect
                  ? (JSON.parse(decided.effect) as { erase: number; restrict: number; later: number })
                  : null;
                return (
                  <p key={kind}>
                    {kind === "objection" ? t.objection : t.withdrawal}:{" "}
                    {t.outcomes[decided.outcome as "upheld" | "rejected"]} – {decided.reasoning} (
                    {t.decidedBy(decided.decidedByName, m.journey.formatDate(decided.decidedAt))})
                    {effect ? ` ${t.effect(effect.erase, effect.restrict, effect.later)}` : null}
                  </p>
                );
              }
              if (!mayDecide) return null;
              const onlyReject = kind === "objection" && !activity.objectionApplies;
              return (
                <Form method="post" key={kind}>
                  <input type="hidden" name="intent" value="decide" />
                  <input type="hidden" name="kind" value={kind} />
                  <input type="hidden" name="activityId" value={activity.id} />
                  <fieldset>
                    <legend>{kind === "objection" ? t.objection : t.withdrawal}</legend>
                    {onlyReject ? <p>{t.objectionImpossible}</p> : null}
                    {(["upheld", "rejected"] as const).map((outcome) => (
                      <div className="choice" key={outcome}>
                        <input
                          type="radio"
                          name="outcome"
                          value={outcome}
                          id={`o-${kind}-${activity.id}-${outcome}`}
                          defaultChecked={outcome === (onlyReject ? "rejected" : "upheld")}
                          disabled={onlyReject && outcome === "upheld"}
                        />
                        <label htmlFor={`o-${kind}-${activity.id}-${outcome}`}>{t.outcomes[outcome]}</label>
                      </div>
                    ))}
                    <div className="field">
                      <label htmlFor={`re-${kind}-${activity.id}`}>{t.reasoning}</label>
                      <textarea
                        id={`re-${kind}-${activity.id}`}
                        name="reasoning"
                        required
                        minLength={20}
                        maxLength={4000}
                        defaultValue={onlyReject ? localized(activity.objectionNote) : ""}
                      />
                    </div>
                    <button className="button" type="submit">
                      {t.decide}
                    </button>
                  </fieldset>
                </Form>
              );
            })}
        </section>
      ))}
    </>
  );
}
