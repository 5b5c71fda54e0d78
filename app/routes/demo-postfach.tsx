import { useEffect } from "react";
import { data, useRevalidator } from "react-router";
import type { Route } from "./+types/demo-postfach";
import { useMessages } from "../i18n";
import { demoMailbox } from "../server/mail/demo-mailbox.server";
import { PageTitle } from "../ui/page-title";

/** How often the open mailbox looks for new mail (with JavaScript; without, the refresh link). */
const POLL_MS = 2_000;

/** The demo's mailbox: exists only in demo mode, where no mail leaves the machine. */
export async function loader({ context }: Route.LoaderArgs) {
  const mails = await demoMailbox(context.services.config);
  if (!mails) throw data(null, { status: 404 });
  return { mails };
}

/**
 * Loads the mailbox again every few seconds while the tab is visible: a code mail that arrives while
 * the mailbox is open shows up without a reload. A reload of the whole page would lose the reader's
 * scroll position and focus; revalidating only redraws what changed.
 */
function useMailPolling() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle")
        void revalidator.revalidate();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [revalidator]);
}

export default function DemoMailbox({ loaderData }: Route.ComponentProps) {
  const messages = useMessages();
  const j = messages.journey;
  const m = j.demoMailbox;
  useMailPolling();
  return (
    <>
      <PageTitle title={m.title} />
      <h1>{m.title}</h1>
      <p className="warning">{m.intro}</p>
      <p>
        {messages.layout.mailboxUpdates} <a href="/demo/postfach">{messages.layout.refresh}</a>
      </p>
      <p className="visually-hidden" aria-live="polite">
        {messages.layout.mailCount(loaderData.mails.length)}
      </p>
      {loaderData.mails.length === 0 ? <p>{m.empty}</p> : null}
      {loaderData.mails.map((mail) => (
        <article className="card demo-mail" key={mail.id}>
          <h2>{mail.subject}</h2>
          <dl className="facts">
            <dt>{m.to}</dt>
            <dd>{mail.to}</dd>
            <dt>{m.date}</dt>
            <dd>{j.formatDateTime(mail.date)}</dd>
            {mail.attachments.length > 0 ? (
              <>
                <dt>{m.attachments}</dt>
                <dd>{mail.attachments.join(", ")}</dd>
              </>
            ) : null}
          </dl>
          <pre className="demo-mail__text">{mail.text}</pre>
        </article>
      ))}
    </>
  );
}
