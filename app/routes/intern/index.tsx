import { Form, useLoaderData } from "react-router";
import type { Route } from "./+types/index";
import { roleDefinitions } from "../../core/permissions";
import { useLocalized, useMessages } from "../../i18n";
import { rolesOf } from "../../server/auth/staff-accounts.server";
import { requireStaff } from "../../server/auth/staff.server";
import { PageTitle } from "../../ui/page-title";

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  return { displayName: staff.displayName, roles: await rolesOf(context.services.database.db, staff.id) };
}

export default function StaffHome() {
  const m = useMessages().staff.home;
  const localized = useLocalized();
  const { displayName, roles } = useLoaderData<typeof loader>();
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.welcome(displayName)}</p>
      <h2>{m.roles}</h2>
      <ul className="plain-list">
        {roles.map((role) => (
          <li key={role}>{localized(roleDefinitions[role].name)}</li>
        ))}
      </ul>
      <p>
        <a href="/intern/sitzungen">{m.sessions}</a>
      </p>
      <Form method="post" action="/intern/abmelden">
        <button className="button button--secondary" type="submit">
          {m.signOut}
        </button>
      </Form>
    </article>
  );
}
