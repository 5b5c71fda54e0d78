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
  randomGermanPhone,
  type SamplePerson,
  uniqueEmail,
  uniqueName,
} from "./people";
import { CITIES, LETTER_SUBJECTS, TLRZ } from "./pools";
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

/** What the customers of the other tickets (GenerateSampleOptions.ticketRows) write about. */
const OTHER_SUBJECTS = [
  ...LETTER_SUBJECTS,
  "Meldebescheinigung nicht erhalten",
  "Zugang zum Bürgerkonto gesperrt",
  "Fehlermeldung beim Hochladen",
  "Termin im Bürgeramt",
  "Frage zu meinem Bescheid",
  "Rückruf erbeten",
] as const;

/**
 * Writes tickets and articles in id order through the sinks; returns how many of each. `rows`:
 * the tickets the service desk holds (GenerateSampleOptions.ticketRows), people who are not in
 * the sample writing the others.
 */
export function generateServiceDesk(
  ctx: SampleContext,
  sink: { ticket: (row: TicketRow) => void; article: (row: ArticleRow) => void },
  rows?: number,
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
  if (rows !== undefined) {
    if (rows < ticketCount)
      throw new RangeError(`ticketRows ${rows} is less than the people's own ${ticketCount} tickets`);
    const own = ticketCount;
    while (ticketCount < rows) {
      otherTicket();
      if (ticketCount % 10_000 === 0) ctx.progress(store, ticketCount - own, rows - own, "other tickets");
    }
  }
  return { tickets: ticketCount, articles: articleCount };

  /**
   * A person not in the sample, with a unique name, address and (mostly) telephone number: every
   * identifier is taken from the registry, so none is a sample person's and the answer key holds
   * no record of theirs.
   */
  function stranger() {
    const name = uniqueName(rng, ctx.registry);
    const city = rng.pick(CITIES);
    const phone = rng.chance(0.75)
      ? randomGermanPhone(rng, rng.chance(0.6) ? city.areaCode : null, ctx.registry)
      : null;
    return {
      ...name,
      email: uniqueEmail(rng, ctx.registry, name.firstName, name.lastName),
      // As people write a number: with or without country code, trunk 0, slashes, brackets, dashes.
      phone: phone ? rng.pick(phoneNotations(phone)) : null,
    };
  }

  /**
   * A ticket of a person not in the sample (GenerateSampleOptions.ticketRows), as a service desk's
   * other tickets are: by mail, telephone or the contact form, their mails with colleagues in CC
   * or a second recipient, and free text naming more people (a colleague, a neighbour, the person
   * they write for) with their addresses and numbers. Nobody in them is in the sample.
   */
  function otherTicket() {
    const c = stranger();
    const id = ++ticketCount;
    const created = pastTime(ctx, rng, 0, 1100);
    const closed = rng.chance(0.75) ? new Date(created.getTime() + rng.int(1, 40) * 86_400_000) : null;
    const isClosed = closed !== null && closed.getTime() < ctx.end.getTime();
    const spelled = nameVariant(rng, c);
    const subject = rng.pick(OTHER_SUBJECTS);
    const roll = rng.next();
    const channel = roll < 0.15 ? "contact-form" : roll < 0.4 && c.phone ? "phone" : "email";
    const contactForm = channel === "contact-form";
    const mailbox = (p: { firstName: string; lastName: string; email: string }) => {
      const s = nameVariant(rng, p);
      return rng.chance(0.15)
        ? emailVariant(rng, p.email)
        : rng.chance(0.3)
          ? `"${s.last}, ${s.first}" <${emailVariant(rng, p.email)}>`
          : `${s.first} ${s.last} <${emailVariant(rng, p.email)}>`;
    };
    // Free text naming others: the customer writes for someone, of a colleague or neighbour; an
    // agent notes whom they called back.
    const mention = (agentVoice = false) => {
      const o = stranger();
      const s = nameVariant(rng, o);
      const title = rng.pick(["Frau", "Herr"]);
      if (agentVoice)
        return rng.chance(0.5)
          ? `Rückfrage bei ${s.first[0]}. ${s.last}${o.phone ? `, erreichbar unter ${o.phone}` : ""}.`
          : `Rückruf an ${title} ${s.last} (${o.phone ?? o.email}) vereinbart.`;
      switch (rng.int(0, 4)) {
        case 0:
          return `Ich schreibe im Auftrag von ${s.first} ${s.last}${o.phone ? ` (Tel. ${o.phone})` : ""}.`;
        case 1:
          return `${title === "Frau" ? "Meine Kollegin" : "Mein Kollege"} ${s.first} ${s.last} (${o.email}) hat dasselbe Problem.`;
        case 2:
          return `Bitte antworten Sie auch an ${o.email}.`;
        case 3:
          return `${title === "Frau" ? "Meine Nachbarin" : "Mein Nachbar"}, ${title} ${s.last}, hat mir Ihre Adresse gegeben.`;
        default:
          return `Die Unterlagen hat ${s.last}, ${s.first} am ${created.toISOString().slice(8, 10)}. eingereicht.`;
      }
    };
    const agent = rng.pick(TLRZ.agents);
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
    const article = (a: Omit<ArticleRow, "id" | "ticket_id">) =>
      sink.article({ id: ++articleCount, ticket_id: id, ...a });
    let at = created.getTime();
    const next = () => new Date((at += rng.int(300, 5 * 86_400) * 1000)).toISOString();
    const colleague = rng.chance(0.2) ? stranger() : null;
    if (contactForm) {
      article({
        created_at: created.toISOString(),
        sender_type: "system",
        from_addr: "Kontaktformular <noreply@tlrz.thueringen.de>",
        to_addr: TLRZ.support,
        cc_addr: null,
        subject,
        body: `Name: ${spelled.first} ${spelled.last}\nE-Mail: ${c.email}\nTelefon: ${c.phone ?? "-"}\nNachricht: ${mention()}\nEinwilligung: ja`,
        internal: false,
      });
    } else if (channel === "phone") {
      article({
        created_at: created.toISOString(),
        sender_type: "agent",
        from_addr: agent,
        to_addr: null,
        cc_addr: null,
        subject,
        body: `Anruf von ${c.phone}, ${spelled.first} ${spelled.last}: ${mention()} ${mention(true)}`,
        internal: true,
      });
    } else {
      article({
        created_at: created.toISOString(),
        sender_type: "customer",
        from_addr: mailbox(c),
        to_addr: rng.chance(0.1) ? `${TLRZ.support}, ${mailbox(stranger())}` : TLRZ.support,
        cc_addr: colleague ? mailbox(colleague) : null,
        subject,
        body: `Sehr geehrte Damen und Herren,\n${mention()}\nMit freundlichen Grüßen\n${spelled.first} ${spelled.last}${c.phone ? `\nTel. ${c.phone}` : ""}`,
        internal: false,
      });
    }
    article({
      created_at: next(),
      sender_type: "agent",
      from_addr: agent,
      to_addr: channel === "phone" && rng.chance(0.5) ? null : mailbox(c),
      cc_addr: colleague ? mailbox(colleague) : null,
      subject: `AW: ${subject}`,
      body: "Vielen Dank für Ihre Nachricht. Wir melden uns.",
      internal: false,
    });
    if (rng.chance(0.4))
      article({
        created_at: next(),
        sender_type: "customer",
        from_addr: mailbox(c),
        to_addr: agent,
        cc_addr: null,
        subject: `Re: AW: ${subject}`,
        body: `Danke. ${mention()}`,
        internal: false,
      });
    if (rng.chance(0.6))
      article({
        created_at: next(),
        sender_type: "agent",
        from_addr: agent,
        to_addr: null,
        cc_addr: null,
        subject: "Notiz",
        body: mention(true),
        internal: true,
      });
  }
}
