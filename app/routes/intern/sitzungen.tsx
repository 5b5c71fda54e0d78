import { Form, data, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/sitzungen";
import { useLang, useMessages, messagesFor } from "#app/i18n";
import { listSessions, requireStaff, revokeSession, staffPageMember } from "#app/server/auth/staff.server";
import { formText } from "#app/server/http/form.server";
import { staffAction } from "#app/server/http/staff-action.server";
import { PageTitle } from "#app/ui/page-title";

/** One's own sessions; with `session:revoke`, everybody's. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  const sessions = await listSessions(
    context.services.database.db,
    staff.permissions.has("session:revoke") ? undefined : staff.id,
  );
  return {
    me: staffPageMember(staff),
    sessions: sessions.map((s) => ({
      ...s,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      current: s.id === staff.sessionId,
    })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff, form } = await staffAction({ request, context });
  const sessionId = form ? formText(form, "sessionId") : undefined;
  if (!sessionId || !/^[0-9a-f]{64}$/.test(sessionId)) return data({ revoked: false }, { status: 400 });
  const revoked = await revokeSession(context.services.database.db, staff, sessionId);
  return data({ revoked }, { status: revoked ? 200 : 404 });
}

export default function Sessions() {
  const m = useMessages().staff.sessions;
  const lang = useLang();
  const { sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {result?.revoked ? (
        <p className="success" role="status">
          {m.revoked}
        </p>
      ) : null}
      {sessions.length === 0 ? (
        <p>{m.none}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{m.who}</th>
              <th scope="col">{m.since}</th>
              <th scope="col">{m.until}</th>
              <th scope="col">{m.action}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.displayName} {s.current ? `(${m.current})` : null}
                </td>
                <td>{messagesFor(lang).journey.formatDateTime(s.createdAt)}</td>
                <td>{messagesFor(lang).journey.formatDateTime(s.expiresAt)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="sessionId" value={s.id} />
                    <button className="button button--secondary" type="submit">
                      {m.revoke}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
