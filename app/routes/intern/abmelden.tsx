import { redirect } from "react-router";
import type { Route } from "./+types/abmelden";
import { signOut } from "../../server/auth/staff.server";

export async function action({ request, context }: Route.ActionArgs) {
  return redirect("/intern/anmelden", { headers: { "Set-Cookie": await signOut(request, context) } });
}

export function loader() {
  return redirect("/intern");
}
