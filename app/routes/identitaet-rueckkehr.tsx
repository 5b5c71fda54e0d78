import { Link, data, redirect } from "react-router";
import type { Route } from "./+types/identitaet-rueckkehr";
import { useMessages } from "../i18n";
import { completeIdentityProof } from "../server/requests/identity-provider.server";
import { commitPerson, getPerson } from "../server/requests/person-session.server";
import { PageTitle } from "../ui/page-title";

/**
 * Where the identity provider sends the person back (the registered redirect URI). The answer is
 * checked against the attempt in the person's session and the person goes back to their case's
 * proof page, with what was received or with the reason it was refused; without an attempt there
 * is no case to go back to, and this page says so.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const person = await getPerson(request, context.services.config);
  const { reference, failure } = await completeIdentityProof(context.services, person, new URL(request.url));
  const init = { headers: { "Set-Cookie": await commitPerson(person, context.services.config) } };
  if (reference)
    return redirect(`/vorgang/${reference}/identitaet${failure ? `?fehler=${failure}` : ""}`, init);
  return data({ failure: failure ?? "no-attempt" }, { ...init, status: 400 });
}

export default function IdentityReturn({ loaderData }: Route.ComponentProps) {
  const m = useMessages().identity;
  return (
    <>
      <PageTitle title={m.returnTitle} />
      <h1>{m.returnTitle}</h1>
      <p className="warning" role="alert">
        {m.errors[loaderData.failure]} {m.unchanged}
      </p>
      <p>
        <Link to="/vorgang">{m.toCases}</Link>
      </p>
    </>
  );
}
