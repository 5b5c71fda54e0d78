import { Form, Link, useActionData, useLoaderData } from "react-router";
import type { Route } from "./+types/druck";
import { useLang, useMessages, messagesFor } from "#app/i18n";
import { requireStaff, staffPageMember } from "#app/server/auth/staff.server";
import { printQueuePage } from "#app/server/print/print-queue-page.server";
import { printAction } from "./druck/actions.server";
import { DispatchForm } from "./druck/dispatch-form-view";
import { PageTitle } from "#app/ui/page-title";

/** The print queue: letters for people who wrote by post, waiting until their dispatch is recorded. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context, "case:read");
  return { me: staffPageMember(staff), ...(await printQueuePage(context.services.db)) };
}

export function action(args: Route.ActionArgs) {
  return printAction(args);
}

export default function PrintQueue() {
  const m = useMessages().print;
  const lang = useLang();
  const t = messagesFor(lang).journey;
  const { today, waiting, dispatched, unreachable, answers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <article>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      {result?.ok ? (
        <p className="success" role="status">
          {"medium" in result ? m.mediumPrepared : m.recorded}
        </p>
      ) : null}

      <h2>{m.unreachableHeading}</h2>
      <p>{m.unreachableIntro}</p>
      {unreachable.length === 0 ? (
        <p>{m.noneUnreachable}</p>
      ) : (
        <ul>
          {unreachable.map((c) => (
            <li key={c.id}>
              <Link to={`/intern/vorgaenge/${c.id}`}>{c.reference}</Link>
              {c.receivedAt ? ` (${t.formatDate(c.receivedAt)})` : null}
            </li>
          ))}
        </ul>
      )}

      <h2>{m.answersHeading}</h2>
      <p>{m.answersIntro}</p>
      {answers.length === 0 ? (
        <p>{m.noneAnswers}</p>
      ) : (
        <ul>
          {answers.map((a) => (
            <li key={a.requestId}>
              <Link to={`/intern/vorgaenge/${a.requestId}`}>{a.reference}</Link> ({t.formatDate(a.answeredAt)}
              ):{" "}
              <a href={`/intern/vorgaenge/${a.requestId}/brief.pdf`} download>
                {m.accessLetter}
              </a>
              {" · "}
              {a.passwordJobId ? (
                <a href={`/intern/druck/${a.passwordJobId}?datentraeger=1`} download>
                  {m.encryptedArchive}
                </a>
              ) : (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="medium" />
                  <input type="hidden" name="requestId" value={a.requestId} />
                  <button className="button button--secondary" type="submit">
                    {m.prepareMedium}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}

      <h2>{m.waitingHeading}</h2>
      {waiting.length === 0 ? (
        <p>{m.noneWaiting}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{m.reference}</th>
              <th scope="col">{m.subject}</th>
              <th scope="col">{m.created}</th>
              <th scope="col">{m.download}</th>
              <th scope="col">{m.dispatchedOn}</th>
            </tr>
          </thead>
          <tbody>
            {waiting.map((job) => (
              <tr key={job.id}>
                <td>
                  <Link to={`/intern/vorgaenge/${job.requestId}`}>{job.reference}</Link>
                </td>
                <td>{job.subject}</td>
                <td>{t.formatDateTime(job.createdAt)}</td>
                <td>
                  <a href={`/intern/druck/${job.id}`} download>
                    {m.download}
                  </a>
                  {job.enclosures.length > 0 ? (
                    <>
                      <br />
                      {m.enclosures}:{" "}
                      {job.enclosures.map((name, index) => (
                        <span key={index}>
                          {index > 0 ? ", " : null}
                          <a href={`/intern/druck/${job.id}?anlage=${index}`} download>
                            {name}
                          </a>
                        </span>
                      ))}
                    </>
                  ) : null}
                </td>
                <td>
                  <DispatchForm printJobId={job.id} today={today} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{m.dispatchedHeading}</h2>
      {dispatched.length === 0 ? (
        <p>{m.noneDispatched}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{m.reference}</th>
              <th scope="col">{m.subject}</th>
              <th scope="col">{m.dispatchedOn}</th>
              <th scope="col">{m.download}</th>
            </tr>
          </thead>
          <tbody>
            {dispatched.map((job) => (
              <tr key={job.id}>
                <td>
                  <Link to={`/intern/vorgaenge/${job.requestId}`}>{job.reference}</Link>
                </td>
                <td>{job.subject}</td>
                <td>
                  {job.dispatchedOn ? t.formatDate(`${job.dispatchedOn}T12:00:00Z`) : null}
                  {job.dispatchedBy ? ` (${m.dispatchedBy} ${job.dispatchedBy})` : null}
                </td>
                <td>
                  <a href={`/intern/druck/${job.id}`} download>
                    {m.download}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
