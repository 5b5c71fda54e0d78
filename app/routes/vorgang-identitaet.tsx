import { Form, Link, useActionData, useSearchParams } from "react-router";
import type { Route } from "./+types/vorgang-identitaet";
import { isIdentityFailure } from "../core/identity-proof";
import { useMessages } from "../i18n";
import { ownedCase } from "../server/http/owned-case.server";
import { identityProofView } from "../server/requests/identity-provider.server";
import { ErrorSummary } from "../ui/form/fields";
import { PageTitle } from "../ui/page-title";
import { type IdentityOutcome, identityProofAction } from "./vorgang-identitaet/actions.server";

/**
 * Proof of identity through the identity provider (issue 19): the offer, the start of the sign-in,
 * and what came back, to be used or discarded. Only the owner of the case reaches it (404 else).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { person, view } = await ownedCase(request, context.services, params.referenz);
  return {
    reference: view.reference,
    representedName: view.filedFor?.name ?? null,
    ...(await identityProofView(context.services, person, view)),
  };
}

export function action(args: Route.ActionArgs) {
  return identityProofAction(args);
}

export default function IdentityProofPage({ loaderData }: Route.ComponentProps) {
  const m = useMessages().identity;
  const outcome = useActionData<typeof action>() as IdentityOutcome | undefined;
  const [search] = useSearchParams();
  const { reference, provider, notForRepresentative, representedName, received } = loaderData;
  const failure = outcome?.error ?? search.get("fehler");
  const error = isIdentityFailure(failure)
    ? `${m.errors[failure]} ${m.unchanged}`
    : failure
      ? m.errors.invalid
      : null;
  const proven = Number(search.get("nachgewiesen"));
  return (
    <>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <ErrorSummary errors={error ? [{ name: "", message: error }] : []} />
      {search.has("nachgewiesen") ? (
        <p className="success" role="status">
          {proven > 0 ? m.confirmed(proven) : m.alreadyProven}
        </p>
      ) : null}
      {search.has("verworfen") ? (
        <p className="success" role="status">
          {m.discarded}
        </p>
      ) : null}
      {notForRepresentative ? (
        <p data-testid="not-for-representative">
          {m.notForRepresentative(notForRepresentative, representedName)}
        </p>
      ) : !provider ? (
        <p>{m.errors["not-offered"]}</p>
      ) : received ? (
        <>
          <h2>{m.receivedTitle(provider)}</h2>
          <p>{m.receivedIntro}</p>
          <dl className="facts" data-testid="received-claims">
            <dt>{m.level}</dt>
            <dd>{m.levelNames[received.level ?? "unknown"]}</dd>
            {received.claims.map((claim) => (
              <div key={claim.kind} className="claim">
                <dt>{m.kinds[claim.kind]}</dt>
                <dd>
                  <span className="claim-value">{claim.value}</span> – {claim.proves ? m.proves : m.notProves}
                  {claim.differsFrom.map((typed) => (
                    <p key={typed} className="warning" data-testid="claim-differs">
                      {m.differs(typed)}
                    </p>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
          <Form method="post" className="button-row">
            <button type="submit" className="button" name="intent" value="confirm">
              {m.confirm}
            </button>{" "}
            <button type="submit" className="button button--secondary" name="intent" value="discard">
              {m.discard}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p className="lead">{m.intro(provider)}</p>
          <p>{m.handsOver(provider)}</p>
          <p>{m.levels}</p>
          <p>{m.voluntary}</p>
          <Form method="post">
            <button type="submit" className="button" name="intent" value="start">
              {m.start(provider)}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to={`/vorgang/${reference}`}>{m.back}</Link>
      </p>
    </>
  );
}
