import type { Lang } from "#app/core/languages";
import type { PageContent } from "./types";

interface RightCard {
  href: string;
  heading: Record<Lang, string>;
  text: Record<Lang, string>;
  action: Record<Lang, string>;
}

// One list for both languages keeps the cards of the two versions in the same order with the same links.
const rights: RightCard[] = [
  {
    href: "/antrag/auskunft",
    heading: { de: "Auskunft (Art. 15 DS-GVO)", en: "Access (Art. 15 GDPR)" },
    text: {
      de: "Erfahren Sie, ob wir Daten über Sie verarbeiten. Sie erhalten eine Kopie und erfahren, wozu wir die Daten nutzen, woher sie stammen, wem wir sie übermittelt haben und wie lange wir sie speichern.",
      en: "Find out whether we process data about you. You receive a copy and learn what we use the data for, where they come from, to whom we have passed them on and how long we keep them.",
    },
    action: { de: "Auskunft beantragen", en: "Request access" },
  },
  {
    href: "/antrag/berichtigung",
    heading: { de: "Berichtigung (Art. 16 DS-GVO)", en: "Rectification (Art. 16 GDPR)" },
    text: {
      de: "Sind Daten über Sie falsch oder unvollständig, korrigieren oder ergänzen wir sie.",
      en: "If data about you are wrong or incomplete, we correct or complete them.",
    },
    action: { de: "Berichtigung beantragen", en: "Request rectification" },
  },
  {
    href: "/antrag/loeschung",
    heading: { de: "Löschung (Art. 17 DS-GVO)", en: "Erasure (Art. 17 GDPR)" },
    text: {
      de: "Wir löschen Ihre Daten, wenn wir sie nicht mehr brauchen oder nicht hätten speichern dürfen. Verpflichtet uns ein Gesetz, sie noch aufzubewahren, sagen wir Ihnen, bis wann.",
      en: "We erase your data when we no longer need them or should not have stored them. If a law obliges us to keep them for a while, we tell you until when.",
    },
    action: { de: "Löschung beantragen", en: "Request erasure" },
  },
  {
    href: "/antrag/einschraenkung",
    heading: {
      de: "Einschränkung der Verarbeitung (Art. 18 DS-GVO)",
      en: "Restriction of processing (Art. 18 GDPR)",
    },
    text: {
      de: "Solange zum Beispiel geklärt wird, ob Daten richtig sind, dürfen wir sie nur noch aufbewahren und für nichts anderes verwenden.",
      en: "While it is being checked whether data are correct, for example, we may only keep them and must not use them for anything else.",
    },
    action: { de: "Einschränkung beantragen", en: "Request restriction" },
  },
  {
    href: "/antrag/datenuebertragung",
    heading: { de: "Datenübertragbarkeit (Art. 20 DS-GVO)", en: "Data portability (Art. 20 GDPR)" },
    text: {
      de: "Daten, die wir mit Ihrer Einwilligung oder für einen Vertrag automatisiert verarbeiten, erhalten Sie in einem gängigen, maschinenlesbaren Format. Für Daten, die wir zur Erfüllung öffentlicher Aufgaben verarbeiten, gilt dieses Recht nicht – eine Auskunft können Sie dazu aber jederzeit beantragen.",
      en: "Data we process by automated means on the basis of your consent or a contract are given to you in a common, machine-readable format. This right does not cover data we process to carry out public tasks – but you can always request access to those.",
    },
    action: { de: "Datenübertragung beantragen", en: "Request your data for transfer" },
  },
  {
    href: "/antrag/widerspruch",
    heading: { de: "Widerspruch (Art. 21 DS-GVO)", en: "Objection (Art. 21 GDPR)" },
    text: {
      de: "Verarbeiten wir Daten zur Erfüllung einer öffentlichen Aufgabe, können Sie aus Gründen widersprechen, die sich aus Ihrer besonderen Situation ergeben. Wir prüfen dann, ob wir die Verarbeitung beenden.",
      en: "If we process data to carry out a public task, you can object on grounds relating to your particular situation. We then examine whether we must stop the processing.",
    },
    action: { de: "Widerspruch einlegen", en: "Lodge an objection" },
  },
  {
    href: "/antrag/widerruf",
    heading: {
      de: "Widerruf einer Einwilligung (Art. 7 Abs. 3 DS-GVO)",
      en: "Withdrawal of consent (Art. 7(3) GDPR)",
    },
    text: {
      de: "Haben Sie uns eine Einwilligung gegeben – etwa im Kontaktformular –, können Sie sie jederzeit widerrufen. Das geht so einfach wie die Einwilligung selbst und wirkt für die Zukunft.",
      en: "If you have given us your consent – in the contact form, for example – you can withdraw it at any time. It is as easy as giving consent and takes effect for the future.",
    },
    action: { de: "Einwilligung widerrufen", en: "Withdraw consent" },
  },
  {
    href: "/antrag/beschwerde",
    heading: {
      de: "Beschwerde bei der Aufsichtsbehörde (Art. 77 DS-GVO)",
      en: "Complaint to the supervisory authority (Art. 77 GDPR)",
    },
    text: {
      de: "Sie können sich beim Thüringer Landesbeauftragten für den Datenschutz und die Informationsfreiheit (TLfDI) beschweren. Auf Wunsch leiten wir Ihre Beschwerde dorthin weiter.",
      en: "You can complain to the Thuringian data protection supervisory authority (TLfDI). If you wish, we forward your complaint to it.",
    },
    action: { de: "Beschwerde einreichen", en: "Lodge a complaint" },
  },
];

function RightCards({ lang }: { lang: Lang }) {
  return (
    <ul className="card-list">
      {rights.map((right) => (
        <li className="card" key={right.href}>
          <h3>{right.heading[lang]}</h3>
          <p>{right.text[lang]}</p>
          <p>
            <a href={right.href}>{right.action[lang]}</a>
          </p>
        </li>
      ))}
    </ul>
  );
}

function HomeDe() {
  return (
    <>
      <h1>Ihre Rechte an Ihren Daten</h1>
      <p className="lead">
        Hier erfahren Sie, welche Daten das Thüringer Landesrechenzentrum (TLRZ) über Sie speichert – und Sie
        bestimmen mit, was mit ihnen geschieht. Das ist kostenlos, und Sie brauchen kein Benutzerkonto.
      </p>
      <p>
        Das TLRZ ist der IT-Dienstleister des Freistaats Thüringen. Wir betreiben unter anderem das Thüringer
        Beauskunftungssystem, über das registrierte Stellen Auskünfte aus den Melderegistern abrufen, die
        zentrale Telefonvermittlung der Landesbehörden und ein Servicecenter. Dabei verarbeiten wir auch
        personenbezogene Daten – zum Beispiel, wenn Sie uns schreiben, anrufen oder unsere Websites besuchen.
        Was wir wofür und wie lange speichern, lesen Sie in unseren{" "}
        <a href="/datenschutz">Datenschutzhinweisen</a>.
      </p>

      <h2>Ihre Rechte</h2>
      <p>
        Diese Rechte gibt Ihnen die Datenschutz-Grundverordnung (DS-GVO). Wählen Sie aus, was Sie tun möchten.
        Ein Antrag kann auch mehrere Anliegen verbinden, zum Beispiel Auskunft und Löschung.
      </p>
      <RightCards lang="de" />

      <h2>So funktioniert es</h2>
      <ol className="steps">
        <li>
          <strong>Formular ausfüllen.</strong> Wählen Sie Ihr Anliegen und füllen Sie das Formular aus. Ein
          Konto brauchen Sie nicht.
        </li>
        <li>
          <strong>E-Mail-Adresse bestätigen.</strong> Wir schicken Ihnen einen Code. Damit zeigen Sie, dass
          die Adresse Ihnen gehört – so erhalten nur Sie Ihre Daten.
        </li>
        <li>
          <strong>Wir suchen und prüfen.</strong> Wir suchen in unseren Systemen nach Daten über Sie und
          prüfen jede Fundstelle. Angaben über andere Menschen machen wir unkenntlich, wo es nötig ist.
        </li>
        <li>
          <strong>Antwort herunterladen.</strong> Spätestens einen Monat nach Eingang Ihres Antrags erhalten
          Sie unsere Antwort: ein Schreiben als PDF und Ihre Daten als Paket zum Herunterladen.
        </li>
      </ol>
      <p className="note">
        Ist ein Fall besonders aufwendig, dürfen wir die Frist um höchstens zwei Monate verlängern. Das teilen
        wir Ihnen innerhalb des ersten Monats mit und nennen die Gründe.
      </p>
      <p>
        <a href="/antrag">Jetzt Antrag stellen</a>
      </p>
      <p>
        Sie haben schon einen Antrag gestellt? Den Stand sehen Sie unter <a href="/vorgang">Meine Vorgänge</a>
        .
      </p>

      <h2>Kostenlos und ohne Begründung</h2>
      <p>
        Ihr Antrag kostet nichts. Für eine Auskunft oder eine Löschung müssen Sie keinen Grund nennen – ob die
        Voraussetzungen vorliegen, prüfen wir selbst. Nur für einen Widerspruch brauchen wir Ihre Gründe, weil
        Art. 21 DS-GVO auf Ihre besondere Situation abstellt.
      </p>
      <p>
        Eine Kopie Ihres Ausweises brauchen wir in aller Regel nicht. Nur wenn begründete Zweifel bestehen,
        dass der Antrag von Ihnen stammt, fragen wir nach weiteren Angaben.
      </p>

      <h2>Auch ohne Formular</h2>
      <p>
        Das Formular ist ein Angebot, keine Pflicht. Ein Antrag per Brief, E-Mail, Fax, Telefon oder
        persönlich vor Ort gilt genauso. Wir bearbeiten ihn auf demselben Weg und mit denselben Fristen.
      </p>
      <dl className="facts">
        <dt>Anschrift</dt>
        <dd>
          <address>
            Thüringer Landesrechenzentrum
            <br />
            Ludwig-Erhard-Ring 8
            <br />
            99099 Erfurt
          </address>
        </dd>
        <dt>Postfach</dt>
        <dd>Postfach 80 03 05, 99029 Erfurt</dd>
        <dt>E-Mail</dt>
        <dd>
          <a href="mailto:poststelle@tlrz.thueringen.de">poststelle@tlrz.thueringen.de</a>
        </dd>
        <dt>Telefon</dt>
        <dd>
          <a href="tel:+4936157100">+49 361 57-100</a>
        </dd>
        <dt>Fax</dt>
        <dd>+49 361 57-3635848</dd>
      </dl>
      <p>
        Fragen zum Datenschutz beantwortet auch unser Datenschutzbeauftragter:{" "}
        <a href="mailto:TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de">
          TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de
        </a>
        .
      </p>

      <h2>Leichte Sprache</h2>
      <p>
        Das Wichtigste von dieser Seite gibt es auch in <a href="/leichte-sprache">Leichter Sprache</a>.
      </p>
    </>
  );
}

function HomeEn() {
  return (
    <>
      <h1>Your rights over your data</h1>
      <p className="lead">
        Here you can find out which data the Thuringian State Data Centre (
        <span lang="de">Thüringer Landesrechenzentrum</span>, TLRZ) holds about you – and have a say in what
        happens to them. It is free of charge, and you do not need a user account.
      </p>
      <p>
        The TLRZ is the IT service provider of the Free State of Thuringia. Among other things, we run the
        Thuringian register information system, through which registered bodies retrieve information from the
        population registers, the central telephone exchange of the state authorities and a service centre. In
        doing so we also process personal data – for example when you write to us, call us or visit our
        websites. What we store, for what purpose and for how long is set out in our{" "}
        <a href="/datenschutz">privacy notice</a>.
      </p>

      <h2>Your rights</h2>
      <p>
        The General Data Protection Regulation (GDPR) gives you these rights. Choose what you would like to
        do. One request can combine several matters, for example access and erasure.
      </p>
      <RightCards lang="en" />

      <h2>How it works</h2>
      <ol className="steps">
        <li>
          <strong>Fill in the form.</strong> Choose your request and fill in the form. You do not need an
          account.
        </li>
        <li>
          <strong>Confirm your e-mail address.</strong> We send you a code. With it you show that the address
          is yours – so that only you receive your data.
        </li>
        <li>
          <strong>We search and check.</strong> We search our systems for data about you and check every
          record we find. Where necessary, we make information about other people unreadable.
        </li>
        <li>
          <strong>Download the answer.</strong> No later than one month after we receive your request, you get
          our answer: a letter as a PDF and your data as a package to download.
        </li>
      </ol>
      <p className="note">
        If a case is particularly complex, we may extend the deadline by no more than two months. We tell you
        within the first month and give our reasons.
      </p>
      <p>
        <a href="/antrag">Make a request now</a>
      </p>
      <p>
        Already made a request? You can see its progress under <a href="/vorgang">My cases</a>.
      </p>

      <h2>Free of charge, no reason needed</h2>
      <p>
        Your request costs nothing. You do not have to give a reason for access or erasure – we check
        ourselves whether the conditions are met. Only for an objection do we need your reasons, because Art.
        21 GDPR depends on your particular situation.
      </p>
      <p>
        As a rule we do not need a copy of your identity card. Only if there is reasonable doubt that the
        request comes from you do we ask for further details.
      </p>

      <h2>Without the form, too</h2>
      <p>
        The form is an offer, not an obligation. A request by letter, e-mail, fax, telephone or in person is
        just as valid. We handle it in the same way and within the same deadlines.
      </p>
      <dl className="facts">
        <dt>Address</dt>
        <dd>
          <address lang="de">
            Thüringer Landesrechenzentrum
            <br />
            Ludwig-Erhard-Ring 8
            <br />
            99099 Erfurt
            <br />
            Germany
          </address>
        </dd>
        <dt>Post office box</dt>
        <dd>
          <span lang="de">Postfach 80 03 05, 99029 Erfurt</span>, Germany
        </dd>
        <dt>E-mail</dt>
        <dd>
          <a href="mailto:poststelle@tlrz.thueringen.de">poststelle@tlrz.thueringen.de</a>
        </dd>
        <dt>Telephone</dt>
        <dd>
          <a href="tel:+4936157100">+49 361 57-100</a>
        </dd>
        <dt>Fax</dt>
        <dd>+49 361 57-3635848</dd>
      </dl>
      <p>
        Our data protection officer will also answer your questions about data protection:{" "}
        <a href="mailto:TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de">
          TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de
        </a>
        .
      </p>

      <h2>Easy Read</h2>
      <p>
        The key points of this page are also available in <a href="/leichte-sprache">Easy Read</a>.
      </p>
    </>
  );
}

export const home: PageContent = {
  title: {
    de: "Ihre Rechte an Ihren Daten – Rechteportal des TLRZ",
    en: "Your rights over your data – TLRZ rights portal",
  },
  description: {
    de: "Auskunft, Berichtigung, Löschung und Ihre weiteren Rechte nach der DS-GVO beim Thüringer Landesrechenzentrum: kostenlos und ohne Benutzerkonto.",
    en: "Access, rectification, erasure and your other GDPR rights at the Thuringian State Data Centre: free of charge and without a user account.",
  },
  de: HomeDe,
  en: HomeEn,
};
