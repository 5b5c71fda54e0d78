import { type AppLoadContext, data, redirect } from "react-router";
import { z } from "zod";
import { formText, readForm } from "#app/server/http/form.server";
import { ownedCase } from "#app/server/http/owned-case.server";
import {
  confirmIdentityProof,
  discardIdentityProof,
  startIdentityProof,
} from "#app/server/requests/identity-provider.server";
import { commitPerson } from "#app/server/requests/person-session.server";

/**
 * The identity proof page's action (vorgang-identitaet.tsx): start the sign-in at the identity
 * provider, use what came back, or discard it; one function per intent.
 */
const identityIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({ intent: z.literal("confirm") }),
  z.object({ intent: z.literal("discard") }),
]);
type IdentityIntent = z.infer<typeof identityIntentSchema>;

/** What the page is told: why nothing happened (a key of `identity.errors`). */
export type IdentityOutcome = { error?: string };

interface Env {
  context: AppLoadContext;
  owned: Awaited<ReturnType<typeof ownedCase>>;
  /** The page's own address, to come back to. */
  here: string;
}

/** The person's session as it now is (the proof or its discarding changed it). */
async function withCookie({ context, owned }: Env) {
  return { headers: { "Set-Cookie": await commitPerson(owned.person, context.services.config) } };
}

const handlers: {
  [K in IdentityIntent["intent"]]: (env: Env) => Promise<Response | ReturnType<typeof data>>;
} = {
  async start(env) {
    const started = await startIdentityProof(env.context.services, env.owned.person, env.owned.view);
    if (!started.ok)
      return data<IdentityOutcome>(
        { error: started.reason },
        { status: started.reason === "unavailable" ? 503 : 409 },
      );
    return redirect(started.url, await withCookie(env));
  },
  async confirm(env) {
    const confirmed = await confirmIdentityProof(env.context.services, env.owned.person, env.owned.view);
    if (!confirmed.ok) return data<IdentityOutcome>({ error: confirmed.reason }, { status: 409 });
    return redirect(`${env.here}?nachgewiesen=${confirmed.proven}`, await withCookie(env));
  },
  async discard(env) {
    discardIdentityProof(env.owned.person);
    return redirect(`${env.here}?verworfen=1`, await withCookie(env));
  },
};

export async function identityProofAction({
  request,
  params,
  context,
}: {
  request: Request;
  params: { referenz?: string };
  context: AppLoadContext;
}) {
  const owned = await ownedCase(request, context.services, params.referenz ?? "");
  const form = await readForm(request);
  const parsed = identityIntentSchema.safeParse({ intent: form ? formText(form, "intent") : undefined });
  if (!parsed.success) return data<IdentityOutcome>({ error: "invalid" }, { status: 400 });
  return handlers[parsed.data.intent]({
    context,
    owned,
    here: `/vorgang/${owned.view.reference}/identitaet`,
  });
}
