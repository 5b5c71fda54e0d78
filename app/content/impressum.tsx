import type { PageContent } from "./types";

function ImpressumDe() {
  return (
    <>
      <h1>Impressum</h1>

      <h2>Herausgeber</h2>
      <address>
        Thüringer Landesrechenzentrum (TLRZ)
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
      </address>
      <p>Das TLRZ wird vertreten durch seinen Präsidenten, Dr. Thomas Brückner.</p>

      <h2>Kontakt</h2>
      <dl className="facts">
        <dt>Telefon</dt>
        <dd>
          <a href="tel:+4936157100">+49 361 57-100</a>
        </dd>
        <dt>Fax</dt>
        <dd>+49 361 57-3635848</dd>
        <dt>E-Mail</dt>
        <dd>
          <a href="mailto:poststelle@tlrz.thueringen.de">poststelle@tlrz.thueringen.de</a>
        </dd>
        <dt>Postanschrift</dt>
        <dd>Postfach 80 03 05, 99029 Erfurt</dd>
      </dl>

      <h2>Redaktion</h2>
      <address>
        Thüringer Landesrechenzentrum
        <br />
        Referat 31
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
      </address>

      <h2>Fach- und Dienstaufsicht</h2>
      <p>Thüringer Ministerium für Inneres und Kommunales</p>

      <h2>Datenschutzbeauftragter</h2>
      <address>
        Thüringer Landesrechenzentrum
        <br />
        Datenschutzbeauftragter
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
      </address>
      <dl className="facts">
        <dt>Telefon</dt>
        <dd>
          <a href="tel:+49361573635837">+49 361 57-3635837</a>
        </dd>
        <dt>E-Mail</dt>
        <dd>
          <a href="mailto:TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de">
            TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de
          </a>
        </dd>
      </dl>
      <p>
        Wie wir personenbezogene Daten verarbeiten, erklären unsere{" "}
        <a href="/datenschutz">Datenschutzhinweise</a>.
      </p>

      <h2>Haftung</h2>
      <h3>Inhalte</h3>
      <p>
        Wir erstellen die Inhalte dieses Portals sorgfältig und halten sie aktuell. Für eigene Inhalte sind
        wir nach den allgemeinen Gesetzen verantwortlich. Eine Gewähr dafür, dass alle Angaben jederzeit
        vollständig und richtig sind, können wir dennoch nicht übernehmen.
      </p>
      <h3>Verweise auf andere Angebote</h3>
      <p>
        Nennen wir Angebote anderer Stellen, sind für deren Inhalte allein diese Stellen verantwortlich.
        Erfahren wir von rechtswidrigen Inhalten dort, entfernen wir den Hinweis darauf umgehend.
      </p>
      <h3>Urheberrecht</h3>
      <p>
        Die Texte und die Gestaltung dieses Portals unterliegen dem deutschen Urheberrecht. Amtliche Werke wie
        Gesetze und Verordnungen sind davon nicht erfasst. Wer Inhalte über die gesetzlich erlaubte Nutzung
        hinaus verwenden möchte, braucht unsere schriftliche Zustimmung.
      </p>
    </>
  );
}

function ImpressumEn() {
  return (
    <>
      <h1>Imprint</h1>

      <h2>Publisher</h2>
      <address lang="de">
        Thüringer Landesrechenzentrum (TLRZ)
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
        <br />
        Germany
      </address>
      <p>
        The Thuringian State Data Centre (TLRZ) is represented by its President,{" "}
        <span lang="de">Dr. Thomas Brückner</span>.
      </p>

      <h2>Contact</h2>
      <dl className="facts">
        <dt>Telephone</dt>
        <dd>
          <a href="tel:+4936157100">+49 361 57-100</a>
        </dd>
        <dt>Fax</dt>
        <dd>+49 361 57-3635848</dd>
        <dt>E-mail</dt>
        <dd>
          <a href="mailto:poststelle@tlrz.thueringen.de">poststelle@tlrz.thueringen.de</a>
        </dd>
        <dt>Postal address</dt>
        <dd>
          <span lang="de">Postfach 80 03 05, 99029 Erfurt</span>, Germany
        </dd>
      </dl>

      <h2>Editorial office</h2>
      <address lang="de">
        Thüringer Landesrechenzentrum
        <br />
        Referat 31
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
        <br />
        Germany
      </address>

      <h2>Supervisory ministry</h2>
      <p>
        Thuringian Ministry of the Interior and Local Government (
        <span lang="de">Thüringer Ministerium für Inneres und Kommunales</span>). It exercises technical and
        administrative supervision over the TLRZ.
      </p>

      <h2>Data protection officer</h2>
      <address lang="de">
        Thüringer Landesrechenzentrum
        <br />
        Datenschutzbeauftragter
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
        <br />
        Germany
      </address>
      <dl className="facts">
        <dt>Telephone</dt>
        <dd>
          <a href="tel:+49361573635837">+49 361 57-3635837</a>
        </dd>
        <dt>E-mail</dt>
        <dd>
          <a href="mailto:TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de">
            TLRZ-Datenschutzbeauftragter@tlrz.thueringen.de
          </a>
        </dd>
      </dl>
      <p>
        How we process personal data is explained in our <a href="/datenschutz">privacy notice</a>.
      </p>

      <h2>Liability</h2>
      <h3>Content</h3>
      <p>
        We prepare the content of this portal with care and keep it up to date. We are responsible for our own
        content under the general laws. Even so, we cannot guarantee that all information is complete and
        correct at all times.
      </p>
      <h3>References to other services</h3>
      <p>
        Where we mention services of other bodies, those bodies alone are responsible for their content. If we
        learn of unlawful content there, we remove our reference to it without delay.
      </p>
      <h3>Copyright</h3>
      <p>
        The texts and design of this portal are protected by German copyright law. Official works such as laws
        and regulations are not covered. Anyone who wishes to use content beyond what the law permits needs
        our written consent.
      </p>
    </>
  );
}

export const impressum: PageContent = {
  title: {
    de: "Impressum – Rechteportal des TLRZ",
    en: "Imprint – TLRZ rights portal",
  },
  description: {
    de: "Herausgeber, Redaktion, Aufsicht und Kontakt des Rechteportals des Thüringer Landesrechenzentrums.",
    en: "Publisher, editorial office, supervision and contact details of the rights portal of the Thuringian State Data Centre.",
  },
  de: ImpressumDe,
  en: ImpressumEn,
};
