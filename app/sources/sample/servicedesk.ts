/**
 * The service desk's tickets and articles. Tickets come by e-mail, phone or the contact form (the
 * latter with the consent opt-in recorded); agents reply, sometimes with a third party in CC, and
 * leave internal notes.
 */
import { type SampleContext, pastTime } from "./context";
import { SAMPLE_STORES } from "./layout";
import {
  emailVariant,
  nameVariant,
  phoneNotations,
  type SamplePerson,
  uniqueEmail,
  uniqueName,
} from "./people";
import { LETTER_SUBJECTS, TLRZ } from "./pools";
import type { Rng } from "./prng";

export interface TicketRow {
  id: number;
  number: string;
  title: string;
  channel: "email" | "phone" | "contact-form";
  contact_form: boolean;
  consent_opt_in: boolean | null;
  consent_at: string | null;
  consent_text: string | null;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  state: "open" | "closed";
  created_at: string;
  closed_at: string | null;
}

export interface ArticleRow {
  id: number;
  ticket_id: number;
  created_at: string;
  sender_type: "customer" | "agent" | "system";
  from_addr: string;
  to_addr: string | null;
  cc_addr: string | null;
  subject: string;
  body: string;
  internal: boolean;
}

interface Customer {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  personId: string | null;
}

const CONSENT_TEXT =
  "Ich willige ein, dass meine Angaben zur Bearbeitung meiner Anfrage verarbeitet werden. (Fassung 2023-01)";

/** Writes tickets and articles in id order through the sinks; returns how many of each. */
export function generateServiceDesk(
  ctx: SampleContext,
  sink: { ticket: (row: TicketRow) => void; article: (row: ArticleRow) => void },
): { tickets: number; articles: number } {
  const rng = ctx.rng.fork("servicedesk");
  let ticketCount = 0;
  let articleCount = 0;
  const store = SAMPLE_STORES.servicedesk.id;
  const others = ctx.people;

  const mailbox = (c: Customer, r: Rng) => {
    const spelled = nameVariant(r, c);
    return `${spelled.first} ${spelled.last} <${emailVariant(r, c.email)}>`;
  };

  const ticket = (c: Customer, contactForm: boolean) => {
    const id = ++ticketCount;
    const created = pastTime(ctx, rng, 0, 1100);
    const closed = rng.chance(0.8) ? new Date(created.getTime() + rng.int(1, 30) * 86_400_000) : null;
    const isClosed = closed !== null && closed.getTime() < ctx.end.getTime();
    const spelled = nameVariant(rng, c);
    const subject = rng.pick(LETTER_SUBJECTS);
    const channel = contactForm ? "contact-form" : rng.chance(0.2) && c.phone ? "phone" : "email";
    sink.ticket({
      id,
      number: `${created.toISOString().slice(0, 10).replace(/-/g, "")}${String(10000 + id)}`,
      title: subject,
      channel,
      contact_form: contactForm,
      consent_opt_in: contactForm ? true : null,
      consent_at: contactForm ? created.toISOString() : null,
      consent_text: contactForm ? CONSENT_TEXT : null,
      customer_name: rng.chance(0.2)
        ? `${spelled.last}, ${spelled.first}`
        : `${spelled.first} ${spelled.last}`,
      customer_email: channel === "phone" && rng.chance(0.5) ? null : emailVariant(rng, c.email),
      customer_phone: c.phone,
      state: isClosed ? "closed" : "open",
      created_at: created.toISOString(),
      closed_at: isClosed ? closed!.toISOString() : null,
    });
    const ticketArticles: ArticleRow[] = [];
    const article = (a: Omit<ArticleRow, "id" | "ticket_id">) => {
      const row = { id: ++articleCount, ticket_id: id, ...a };
      sink.article(row);
      ticketArticles.push(row);
      return row;
    };
    let at = created.getTime();
    const next = () => new Date((at += rng.int(600, 3 * 86_400) * 1000)).toISOString();
    if (contactForm) {
      article({
        created_at: created.toISOString(),
        sender_type: "system",
        from_addr: "Kontaktformular <noreply@tlrz.thueringen.de>",
        to_addr: TLRZ.support,
        cc_addr: null,
        subject,
        body: `Name: ${spelled.first} ${spelled.last}\nE-Mail: ${c.email}\nTelefon: ${c.phone ?? "-"}\nNachricht: Bitte um Rückruf.\nEinwilligung: ja`,
        internal: false,
      });
    } else if (channel === "phone") {
      article({
        created_at: created.toISOString(),
        sender_type: "agent",
        from_addr: TLRZ.agents[0],
        to_addr: null,
        cc_addr: null,
        subject,
        body: `Anruf von ${c.phone}: Anliegen aufgenommen.`,
        internal: true,
      });
    } else {
      article({
        created_at: created.toISOString(),
        sender_type: "customer",
        from_addr: mailbox(c, rng),
        to_addr: TLRZ.support,
        cc_addr: null,
        subject,
        body: "Sehr geehrte Damen und Herren,\nich bitte um Prüfung.\nMit freundlichen Grüßen",
        internal: false,
      });
    }
    let thirdParty: SamplePerson | null = null;
    if (rng.chance(0.25)) {
      const candidate = rng.pick(others);
      if (candidate.id !== c.personId) thirdParty = candidate;
    }
    const reply = article({
      created_at: next(),
      sender_type: "agent",
      from_addr: TLRZ.agents[0],
      to_addr: c.email ? mailbox(c, rng) : null,
      cc_addr: thirdParty
        ? `${thirdParty.firstName} ${thirdParty.lastName} <${emailVariant(rng, thirdParty.email)}>`
        : null,
      subject: `AW: ${subject}`,
      body: "Vielen Dank für Ihre Nachricht. Wir melden uns.",
      internal: false,
    });
    if (thirdParty) ctx.key.add(thirdParty.id, store, `article/${reply.id}`, "cc");
    article({
      created_at: next(),
      sender_type: "agent",
      from_addr: TLRZ.agents[0],
      to_addr: null,
      cc_addr: null,
      subject: "Notiz",
      body: "Rückfrage bei Fachbereich 31 gestellt.",
      internal: true,
    });
    if (c.personId) {
      ctx.key.add(c.personId, store, `ticket/${id}`, "customer");
      for (const a of ticketArticles) ctx.key.add(c.personId, store, `article/${a.id}`, "customer");
    }
  };

  for (const [index, person] of ctx.people.entries()) {
    if (index % 10_000 === 0) ctx.progress(store, index, ctx.people.length, "people");
    const customer = (): Customer => ({
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      phone: rng.chance(0.6) ? rng.pick(phoneNotations(rng.pick(person.phones))) : null,
      personId: person.id,
    });
    if (person.channels.has("ticket"))
      for (let i = rng.int(1, person.demo ? 3 : 2); i > 0; i--) ticket(customer(), false);
    if (person.channels.has("contact-form")) ticket(customer(), true);
  }
  for (let i = Math.round(ctx.noise * (5 + ctx.people.length / 4)); i > 0; i--) {
    const name = uniqueName(rng, ctx.registry);
    ticket(
      {
        ...name,
        email: uniqueEmail(rng, ctx.registry, name.firstName, name.lastName),
        phone: null,
        personId: null,
      },
      rng.chance(0.2),
    );
  }
  return { tickets: ticketCount, articles: articleCount };
}
