import { redirect } from "react-router";
import type { Route } from "./+types/abmelden";
import { isSameOrigin, signOut } from "#app/server/auth/staff.server";

/** Only a POST from our own pages signs out: a forged form on another site must not end a session. */
export async function action({ request, context }: Route.ActionArgs) {
  if (!isSameOrigin(request)) throw new Response("Forbidden", { status: 403 });
  return redirect("/intern/anmelden", { headers: { "Set-Cookie": await signOut(request, context) } });
}

export function loader() {
  return redirect("/intern");
}
