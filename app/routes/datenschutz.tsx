import {
  type ContactDetails,
  controller,
  dataProtectionOfficer,
  processingActivities,
  supervisoryAuthority,
} from "../core/processing-activities";
import { retentionRules } from "../core/retention";
import { describeRetention } from "../core/retention-text";
import type { Route } from "./+types/datenschutz";
import { useLang, useMessages } from "../i18n";
import { PageTitle } from "../ui/page-title";

/** The identity provider configured, named in the notice (issue 19); none: the notice says so. */
export function loader({ context }: Route.LoaderArgs) {
  return { identityProvider: context.services.config.identityProvider?.name ?? null };
}

/** The privacy notice, generated from the register of processing activities. */
export default function Datenschutz({ loaderData }: Route.ComponentProps) {
  const m = useMessages().privacyPage;
  const identity = useMessages().identity.privacy;
  const lang = useLang();
  return (
    <article className="prose">
      <PageTitle title={m.title} description={m.description} />
      <h1>{m.title}</h1>
      <p className="lead">{m.intro}</p>
      <nav aria-labelledby="toc-heading" className="toc">
        <h2 id="toc-heading">{m.contents}</h2>
        <ul className="plain-list">
          {processingActivities.map((activity) => (
            <li key={activity.id}>
              <a href={`#${activity.id}`}>{activity.name[lang]}</a>
            </li>
          ))}
        </ul>
      </nav>

      <h2>{m.controller}</h2>
      <Contact contact={controller} />
      <h2>{m.dpo}</h2>
      <Contact contact={dataProtectionOfficer} />

      {processingActivities.map((activity) => (
        <section key={activity.id} id={activity.id} className="activity" aria-labelledby={`${activity.id}-h`}>
          <h2 id={`${activity.id}-h`}>{activity.name[lang]}</h2>
          <dl className="facts">
            <dt>{m.purposes}</dt>
            <dd>
              <ul className="plain-list">
                {activity.purposes.map((p) => (
                  <li key={p.de}>{p[lang]}</li>
                ))}
              </ul>
            </dd>
            <dt>{m.legalBasis}</dt>
            <dd>
              {activity.legalBasis.text[lang]} (
              {[...activity.legalBasis.gdpr, ...activity.legalBasis.national].join("; ")})
            </dd>
            <dt>{m.dataCategories}</dt>
            <dd>{activity.dataCategories.map((c) => c[lang]).join(", ")}</dd>
            <dt>{m.subjects}</dt>
            <dd>{activity.dataSubjectCategories.map((c) => c[lang]).join(", ")}</dd>
            <dt>{m.recipients}</dt>
            <dd>
              <ul className="plain-list">
                {activity.recipients.map((r) => (
                  <li key={r.de}>{r[lang]}</li>
                ))}
              </ul>
            </dd>
            <dt>{m.source}</dt>
            <dd>{activity.source[lang]}</dd>
            <dt>{m.retention}</dt>
            <dd>
              <ul className="plain-list">
                {activity.retentionRuleIds.map((id) => (
                  <li key={id}>
                    {retentionRules[id].dataType[lang]}: {describeRetention(retentionRules[id], lang)}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{m.objection}</dt>
            <dd>
              {activity.objectionApplies ? m.applies : m.notApplies}. {activity.objectionNote[lang]}
            </dd>
            <dt>{m.portability}</dt>
            <dd>{activity.portabilityApplies ? m.applies : m.notApplies}</dd>
          </dl>
        </section>
      ))}

      <section id="identitaet" aria-labelledby="identitaet-h">
        <h2 id="identitaet-h">{identity.title}</h2>
        <p>{loaderData.identityProvider ? identity.provider(loaderData.identityProvider) : identity.none}</p>
        <p>{identity.voluntary}</p>
      </section>

      <h2>{m.authority}</h2>
      <p>{m.automated}</p>
      <p>{m.rights}</p>
      <Contact contact={supervisoryAuthority} />
      <p>
        <a className="button" href="/antrag">
          {m.startRequest}
        </a>
      </p>
    </article>
  );
}

function Contact({ contact }: { contact: ContactDetails }) {
  const m = useMessages().privacyPage;
  const lang = useLang();
  return (
    <address>
      {contact.name[lang]}
      <br />
      {contact.address.street}, {contact.address.postalCode} {contact.address.city}
      <br />
      {m.phone}: <a href={`tel:${contact.phone.replace(/[^+\d]/g, "")}`}>{contact.phone}</a>
      <br />
      {m.email}: <a href={`mailto:${contact.email}`}>{contact.email}</a>
      {contact.web ? (
        <>
          <br />
          <a href={contact.web}>{contact.web}</a>
        </>
      ) : null}
    </address>
  );
}
