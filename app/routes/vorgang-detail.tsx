import { Link, useActionData, useSearchParams } from "react-router";
import type { Route } from "./+types/vorgang-detail";
import { useLang, useMessages } from "../i18n";
import { caseAsksFor } from "../core/case-status";
import { OutcomeNote } from "../ui/outcome-note";
import { supervisoryAuthority } from "../core/processing-activities";
import { ErrorSummary, type SummaryError, useErrorText } from "../ui/form/fields";
import { PageTitle } from "../ui/page-title";
import { type Outcome, personCaseAction } from "./vorgang/actions.server";
import { casePage } from "./vorgang/case-page.server";
import { AnswerDownloads } from "./vorgang/answer-downloads";
import { CaseChanges } from "./vorgang/case-changes";
import { CaseFacts, CaseMessages, CaseTimeline } from "./vorgang/case-record";
import { IdentifierProofs } from "./vorgang/identifier-proofs";
import { RecipientsTold } from "./vorgang/recipients-told";
import { TlfdiDemand } from "./vorgang/tlfdi-demand";

export function loader({ request, params, context }: Route.LoaderArgs) {
  return casePage(request, context, params.referenz);
}

export function action({ request, params, context }: Route.ActionArgs) {
  return personCaseAction(request, context, params.referenz);
}

/** The forms whose refusals are keys of `journey.errors`. */
const journeyForms = new Set(["add", "withdraw", "identifier-prove"]);

export default function CasePage({ loaderData }: Route.ComponentProps) {
  const j = useMessages().journey;
  const lang = useLang();
  const [search] = useSearchParams();
  const outcome = useActionData() as Outcome | undefined;
  const errorText = useErrorText();
  const {
    view,
    changeable,
    answers,
    downloadsUnlocked: unlocked,
    recipientsTold,
    tlfdiDemand,
    identityProvider,
    identityNotForRepresentative,
  } = loaderData;
  const identity = useMessages().identity;
  const complaints = useMessages().complaints;
  const representation = useMessages().representation;
  const title = j.case.title(view.reference);
  // The server's refusal at the top: of the page (`error`), or of a form whose messages are the
  // journey's (the download and § 21(5) sections tell theirs in place).
  const sentBack = outcome?.sentBack;
  const summary: SummaryError[] = [
    ...(outcome?.error ? [{ name: "", message: errorText(outcome.error)! }] : []),
    ...(sentBack && journeyForms.has(sentBack.intent)
      ? Object.entries(sentBack.result.error ?? {}).flatMap(([name, keys]) =>
          keys?.[0] ? [{ name, message: errorText(keys[0])! }] : [],
        )
      : []),
  ];

  return (
    <>
      <PageTitle title={title} />
      <h1>{title}</h1>
      {view.filedFor ? (
        <p className="lead" data-testid="filed-for">
          {view.filedFor.name
            ? representation.filedFor(view.filedFor.name, representation.roles[view.filedFor.role])
            : representation.filedForUnnamed(representation.roles[view.filedFor.role])}
        </p>
      ) : null}
      {search.has("bestaetigt") ? (
        <p className="success" role="status">
          {j.case.proven}
        </p>
      ) : null}
      {/* Right after filing, the proof through the identity provider is offered once more, as a choice. */}
      {search.has("bestaetigt") && identityProvider ? (
        <p data-testid="identity-offer-after-filing">
          {identity.offerAfterFiling(identityProvider)}{" "}
          <Link to={`/vorgang/${view.reference}/identitaet`}>{identity.offer(identityProvider)}</Link>
        </p>
      ) : null}
      {outcome?.done === "added" ? (
        <p className="success" role="status">
          {j.case.added}
        </p>
      ) : null}
      {outcome?.done === "withdrawn" ? (
        <p className="success" role="status">
          {j.case.withdrawn}
        </p>
      ) : null}
      {outcome?.done === "code-sent" ? (
        <p className="success" role="status">
          {j.confirm.intro}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />

      <CaseFacts view={view} />
      <CaseTimeline timeline={view.timeline} />

      <p>
        <Link to={`/vorgang/${view.reference}/beschwerde`}>{complaints.page.link}</Link>
      </p>
      {answers.length > 0 || caseAsksFor(view.kinds, "answer") ? (
        <>
          <h2 id="antwort">{j.case.downloads}</h2>
          <AnswerDownloads
            reference={view.reference}
            answers={answers}
            unlocked={unlocked}
            outcome={outcome}
            refusal={search.get("antwort")}
          />
        </>
      ) : null}
      {caseAsksFor(view.kinds, "carry-out") && answers.length === 0 ? (
        <OutcomeNote text={j.case.outcomeByMessage} />
      ) : null}
      {caseAsksFor(view.kinds, "forward") ? (
        <OutcomeNote text={j.case.complaintNext(supervisoryAuthority.name[lang])} />
      ) : null}
      {recipientsTold.length > 0 ? <RecipientsTold recipients={recipientsTold} /> : null}
      <TlfdiDemand offer={tlfdiDemand} />

      <CaseMessages messages={view.messages} />

      <h2>{j.case.identifiers}</h2>
      <IdentifierProofs
        identifiers={view.identifiers}
        filedFor={view.filedFor}
        changeable={changeable}
        outcome={outcome}
      />
      {identityProvider ? (
        <p>
          <Link to={`/vorgang/${view.reference}/identitaet`}>{identity.offer(identityProvider)}</Link>
        </p>
      ) : identityNotForRepresentative ? (
        <p data-testid="not-for-representative">
          {identity.notForRepresentative(identityNotForRepresentative, view.filedFor?.name ?? null)}
        </p>
      ) : null}

      {changeable ? <CaseChanges /> : null}

      <p>
        <Link to="/vorgang">{j.case.back}</Link>
      </p>
    </>
  );
}
