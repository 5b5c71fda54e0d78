import type { PageContent } from "./types";

function BarrierefreiheitDe() {
  return (
    <>
      <h1>Erklärung zur Barrierefreiheit</h1>
      <p className="lead">
        Das Thüringer Landesrechenzentrum (TLRZ) möchte, dass alle Menschen das Rechteportal nutzen können –
        auch mit einer Behinderung, mit Screenreader, Vergrößerung oder nur mit der Tastatur.
      </p>
      <p>
        Diese Erklärung gilt für das Rechteportal des TLRZ: für die öffentlichen Seiten und für den internen
        Bereich, in dem unsere Beschäftigten die Anträge bearbeiten. Maßgeblich sind das Thüringer Gesetz über
        den barrierefreien Zugang zu den Websites und mobilen Anwendungen öffentlicher Stellen (ThürBarrWebG)
        und die Thüringer Barrierefreie-Informationstechnik-Verordnung (ThürBITVO). Die Verordnung verweist
        auf die Barrierefreie-Informationstechnik-Verordnung des Bundes (BITV 2.0) und die europäische Norm EN
        301 549. Danach müssen die Erfolgskriterien der{" "}
        <span lang="en">Web Content Accessibility Guidelines</span> (WCAG) 2.1 auf Stufe AA erfüllt sein.
      </p>

      <h2>Wie barrierefrei ist das Rechteportal?</h2>
      <p>
        Das Rechteportal ist mit diesen Anforderungen weitgehend vereinbar. Nach der amtlichen Mustererklärung
        heißt das: „teilweise vereinbar“. Die folgenden Inhalte sind noch nicht vollständig barrierefrei.
      </p>

      <h3>Nicht vollständig barrierefreie Inhalte</h3>
      <ul>
        <li>
          <strong>Schreiben als PDF.</strong> Die Antwortschreiben, die das Portal erzeugt, sind getaggte
          PDF-Dateien mit Dokumentstruktur und eingebetteter Schrift. Ob sie alle Anforderungen der Norm
          PDF/UA (ISO 14289-1) erfüllen, haben wir noch nicht vollständig geprüft. Die Daten aus Ihrer Antwort
          finden Sie im Datenpaket zusätzlich als HTML-Seite. Auf Wunsch schicken wir Ihnen das Schreiben in
          einer anderen Form.
        </li>
        <li>
          <strong>Diagramme im internen Bereich.</strong> Die Diagramme der Statistik für Beschäftigte sind
          für Screenreader nicht vollständig erfassbar. Zu jedem Diagramm gibt es dieselben Zahlen als
          Datentabelle.
        </li>
      </ul>
      <p>
        Wir arbeiten daran, diese Lücken zu schließen, und aktualisieren diese Erklärung, sobald sich etwas
        ändert.
      </p>

      <h3>Was wir bereits tun</h3>
      <ul>
        <li>Die Seiten funktionieren auch ohne JavaScript.</li>
        <li>Das Portal lädt keine Schriften, Skripte oder Bilder von fremden Servern.</li>
        <li>Die öffentlichen Seiten gibt es auf Deutsch und auf Englisch.</li>
        <li>
          Das Wichtigste zu Ihren Rechten steht auch in <a href="/leichte-sprache">Leichter Sprache</a>.
        </li>
      </ul>

      <h2>Wie ist diese Erklärung entstanden?</h2>
      <dl className="facts">
        <dt>Erstellt am</dt>
        <dd>23. November 2026</dd>
        <dt>Methode</dt>
        <dd>
          Selbstbewertung durch das TLRZ, ergänzt durch automatisierte Prüfungen mit axe-core in einem echten
          Browser, die bei jeder Änderung des Portals laufen
        </dd>
      </dl>

      <h2>Barrieren melden</h2>
      <p>
        Ist Ihnen eine Barriere aufgefallen? Oder brauchen Sie einen Inhalt in einer anderen, für Sie
        zugänglichen Form? Schreiben Sie uns. Bitte beschreiben Sie kurz, auf welcher Seite das Problem
        auftritt und was Sie daran hindert. Wir antworten Ihnen innerhalb von sechs Wochen.
      </p>
      <dl className="facts">
        <dt>E-Mail</dt>
        <dd>
          <a href="mailto:barrierefreiheit@tlrz.thueringen.de">barrierefreiheit@tlrz.thueringen.de</a>
        </dd>
        <dt>Post</dt>
        <dd>
          <address>
            Thüringer Landesrechenzentrum
            <br />
            Stichwort „Barrierefreiheit“
            <br />
            Ludwig-Erhard-Ring 8
            <br />
            99099 Erfurt
          </address>
        </dd>
      </dl>

      <h2>Durchsetzungsverfahren</h2>
      <p>
        Haben Sie innerhalb von sechs Wochen keine Antwort erhalten oder hilft Ihnen unsere Antwort nicht
        weiter? Dann können Sie sich an die Landesdurchsetzungsstelle für digitale Barrierefreiheit wenden.
        Sie ist bei der oder dem Thüringer Landesbeauftragten für Menschen mit Behinderungen angesiedelt und
        vermittelt zwischen Ihnen und öffentlichen Stellen, um eine Lösung ohne Gericht zu finden.
      </p>
      <p>Das Verfahren ist für Sie kostenlos. Sie brauchen dafür keinen Rechtsbeistand.</p>
      <p className="note">
        Die aktuellen Kontaktdaten finden Sie auf der Website der oder des Thüringer Landesbeauftragten für
        Menschen mit Behinderungen.
      </p>
    </>
  );
}

function BarrierefreiheitEn() {
  return (
    <>
      <h1>Accessibility statement</h1>
      <p className="lead">
        The Thuringian State Data Centre (<span lang="de">Thüringer Landesrechenzentrum</span>, TLRZ) wants
        everyone to be able to use the rights portal – including people with disabilities and people who use a
        screen reader, magnification or only a keyboard.
      </p>
      <p>
        This statement applies to the TLRZ rights portal: to the public pages and to the internal area where
        our staff handle requests. The legal basis is the Thuringian act on accessible websites and mobile
        applications of public bodies (<span lang="de">ThürBarrWebG</span>) and the Thuringian regulation on
        accessible information technology (<span lang="de">ThürBITVO</span>). The regulation refers to the
        federal regulation on accessible information technology (<span lang="de">BITV 2.0</span>) and the
        European standard EN 301 549. Under these rules, the success criteria of the Web Content Accessibility
        Guidelines (WCAG) 2.1 must be met at level AA.
      </p>

      <h2>How accessible is the rights portal?</h2>
      <p>
        The rights portal is largely compatible with these requirements. In the terms of the official model
        statement this means “partially compliant”. The following content is not yet fully accessible.
      </p>

      <h3>Content that is not fully accessible</h3>
      <ul>
        <li>
          <strong>Letters as PDF.</strong> The reply letters the portal generates are tagged PDF files with a
          document structure and embedded fonts. We have not yet fully verified whether they meet every
          requirement of the PDF/UA standard (ISO 14289-1). The data in your answer are also included as an
          HTML page in the data package. On request, we send you the letter in another format.
        </li>
        <li>
          <strong>Charts in the internal area.</strong> The statistics charts for staff cannot be fully
          perceived with a screen reader. Every chart comes with a data table showing the same figures.
        </li>
      </ul>
      <p>We are working to close these gaps and will update this statement as soon as anything changes.</p>

      <h3>What we already do</h3>
      <ul>
        <li>The pages also work without JavaScript.</li>
        <li>The portal does not load fonts, scripts or images from other servers.</li>
        <li>The public pages are available in German and in English.</li>
        <li>
          The key points about your rights are also available in <a href="/leichte-sprache">Easy Read</a>.
        </li>
      </ul>

      <h2>How this statement was prepared</h2>
      <dl className="facts">
        <dt>Prepared on</dt>
        <dd>23 November 2026</dd>
        <dt>Method</dt>
        <dd>
          Self-assessment by the TLRZ, supported by automated tests with axe-core in a real browser that run
          whenever the portal changes
        </dd>
      </dl>

      <h2>Report a barrier</h2>
      <p>
        Have you come across a barrier? Or do you need content in another form that is accessible to you?
        Please write to us. Briefly describe the page where the problem occurs and what prevents you from
        using it. We will reply within six weeks.
      </p>
      <dl className="facts">
        <dt>E-mail</dt>
        <dd>
          <a href="mailto:barrierefreiheit@tlrz.thueringen.de">barrierefreiheit@tlrz.thueringen.de</a>
        </dd>
        <dt>Post</dt>
        <dd>
          <address lang="de">
            Thüringer Landesrechenzentrum
            <br />
            Stichwort „Barrierefreiheit“
            <br />
            Ludwig-Erhard-Ring 8
            <br />
            99099 Erfurt
            <br />
            Germany
          </address>
        </dd>
      </dl>

      <h2>Enforcement procedure</h2>
      <p>
        If you have not received an answer within six weeks, or our answer does not help you, you can turn to
        the state enforcement body for digital accessibility in Thuringia. It is based at the office of the
        Thuringian State Commissioner for People with Disabilities and mediates between you and public bodies
        to find a solution without going to court.
      </p>
      <p>The procedure is free of charge for you. You do not need a lawyer.</p>
      <p className="note">
        You will find the current contact details on the website of the Thuringian State Commissioner for
        People with Disabilities.
      </p>
    </>
  );
}

export const barrierefreiheit: PageContent = {
  title: {
    de: "Erklärung zur Barrierefreiheit – Rechteportal des TLRZ",
    en: "Accessibility statement – TLRZ rights portal",
  },
  description: {
    de: "Wie barrierefrei das Rechteportal ist, welche Inhalte es noch nicht vollständig sind und wie Sie Barrieren melden können.",
    en: "How accessible the rights portal is, which content is not yet fully accessible and how you can report barriers.",
  },
  de: BarrierefreiheitDe,
  en: BarrierefreiheitEn,
};
