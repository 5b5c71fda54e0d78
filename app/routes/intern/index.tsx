import { useLoaderData } from "react-router";
import type { Route } from "./+types/index";
import { roleDefinitions } from "#app/core/permissions";
import { type Messages, useLocalized, useMessages } from "#app/i18n";
import type { Permission } from "#app/core/permissions";
import { rolesOf } from "#app/server/auth/staff-accounts.server";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { PageTitle } from "#app/ui/page-title";

export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  return {
    displayName: staff.displayName,
    roles: await rolesOf(context.services.database.db, staff.id),
    me: staffPageMember(staff),
  };
}

export default function StaffHome() {
  const m = useMessages().staff.home;
  const localized = useLocalized();
  const { displayName, roles, me } = useLoaderData<typeof loader>();
  const links = staffLinks(useMessages()).filter((link) => me.permissions.includes(link.permission));
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
      <nav aria-label={m.title}>
        <ul className="plain-list">
          {links.map((link) => (
            <li key={link.href}>
              <a href={link.href}>{link.label}</a>
            </li>
          ))}
          <li>
            <a href="/intern/sitzungen">{m.sessions}</a>
          </li>
        </ul>
      </nav>
    </article>
  );
}

/** The staff area's pages, each shown to those who hold its permission. */
function staffLinks(m: Messages): { href: string; label: string; permission: Permission }[] {
  return [
    { href: "/intern/vorgaenge", label: m.staff.cases.title, permission: "case:read" },
    { href: "/intern/eingang", label: m.journey.intake.title, permission: "request:intake" },
    { href: "/intern/uebersicht", label: m.dashboard.title, permission: "statistics:read" },
    { href: "/intern/loeschprotokoll", label: m.retention.evidence.title, permission: "statistics:read" },
    { href: "/intern/aufbewahrung", label: m.retention.rules.title, permission: "retention:manage" },
  ];
}
