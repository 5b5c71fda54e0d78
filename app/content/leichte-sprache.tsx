import type { PageContent } from "./types";

// Leichte Sprache: one statement per sentence, one sentence per paragraph where it helps reading,
// hard words explained where they first appear, long compounds split with the medio·punkt.
function LeichteSpracheDe() {
  return (
    <>
      <h1>Ihre Rechte bei Ihren Daten</h1>
      <p className="lead">Hier stehen die wichtigsten Informationen in Leichter Sprache.</p>

      <h2>Wer sind wir?</h2>
      <p>Wir sind das Thüringer Landes·rechen·zentrum.</p>
      <p>Das ist ein Amt vom Land Thüringen.</p>
      <p>Das Amt ist in Erfurt.</p>
      <p>Wir kümmern uns um Computer für andere Ämter in Thüringen.</p>
      <p>Auf diesen Computern sind auch Daten von Menschen.</p>
      <p>Vielleicht sind dort auch Daten von Ihnen.</p>

      <h2>Was sind Daten?</h2>
      <p>Daten sind Angaben über einen Menschen.</p>
      <p>Zum Beispiel:</p>
      <ul>
        <li>Ihr Name</li>
        <li>Ihre Adresse</li>
        <li>Ihre E-Mail-Adresse</li>
        <li>Ihre Telefon·nummer</li>
      </ul>
      <p>Es gibt ein Gesetz für Daten.</p>
      <p>Das Gesetz gilt in ganz Europa.</p>
      <p>Das Gesetz heißt: Daten·schutz-Grund·verordnung.</p>
      <p>In dem Gesetz steht: Sie haben Rechte bei Ihren Daten.</p>

      <h2>Welche Rechte haben Sie?</h2>
      <p>Sie haben diese Rechte.</p>

      <h3>Sie dürfen fragen</h3>
      <p>Sie dürfen uns fragen: Welche Daten haben Sie über mich?</p>
      <p>Dann sagen wir es Ihnen.</p>
      <p>Sie bekommen eine Kopie von Ihren Daten.</p>
      <p>Wir sagen Ihnen auch:</p>
      <ul>
        <li>Was machen wir mit den Daten?</li>
        <li>Woher haben wir die Daten?</li>
        <li>Wem haben wir die Daten gegeben?</li>
        <li>Wie lange behalten wir die Daten?</li>
      </ul>
      <p>Sie müssen nicht sagen, warum Sie fragen.</p>
      <p>
        <a href="/antrag/auskunft">Nach Ihren Daten fragen</a>
      </p>

      <h3>Falsche Daten ändern</h3>
      <p>Sind Daten über Sie falsch?</p>
      <p>Dann sagen Sie es uns.</p>
      <p>Wir machen die Daten dann richtig.</p>
      <p>Fehlt etwas bei Ihren Daten?</p>
      <p>Dann schreiben wir es dazu.</p>
      <p>
        <a href="/antrag/berichtigung">Falsche Daten ändern lassen</a>
      </p>

      <h3>Daten löschen</h3>
      <p>Löschen heißt: Die Daten sind danach weg.</p>
      <p>Sie können sagen: Bitte löschen Sie meine Daten.</p>
      <p>Sie müssen nicht sagen, warum.</p>
      <p>Wir prüfen dann: Dürfen wir die Daten löschen?</p>
      <p>Manche Daten müssen wir eine Zeit lang behalten.</p>
      <p>Das steht in einem Gesetz.</p>
      <p>Dann sagen wir Ihnen: So lange behalten wir die Daten.</p>
      <p>
        <a href="/antrag/loeschung">Daten löschen lassen</a>
      </p>

      <h3>Daten sperren</h3>
      <p>Sperren heißt: Wir heben die Daten auf.</p>
      <p>Aber wir benutzen die Daten nicht.</p>
      <p>Ein Beispiel:</p>
      <p>Sie sagen: Die Daten sind falsch.</p>
      <p>Wir prüfen das.</p>
      <p>So lange sperren wir die Daten.</p>
      <p>
        <a href="/antrag/einschraenkung">Daten sperren lassen</a>
      </p>

      <h3>Daten mitnehmen</h3>
      <p>Sie bekommen Ihre Daten als Datei.</p>
      <p>Eine Datei ist wie ein Dokument im Computer.</p>
      <p>Die Datei können Sie einem anderen Amt oder einer Firma geben.</p>
      <p>Das geht nur bei manchen Daten.</p>
      <p>Zum Beispiel: Sie haben uns Daten gegeben.</p>
      <p>Und Sie haben uns dafür Ihre Erlaubnis gegeben.</p>
      <p>
        <a href="/antrag/datenuebertragung">Daten als Datei bekommen</a>
      </p>

      <h3>Dagegen sein</h3>
      <p>Manchmal brauchen wir Ihre Daten für eine Aufgabe vom Land.</p>
      <p>Sie können dagegen sein.</p>
      <p>Das heißt: Widerspruch.</p>
      <p>Sagen Sie uns dann: Warum sind Sie dagegen?</p>
      <p>Was ist bei Ihnen besonders?</p>
      <p>Wir prüfen das.</p>
      <p>Dann bekommen Sie eine Antwort.</p>
      <p>
        <a href="/antrag/widerspruch">Widerspruch schicken</a>
      </p>

      <h3>Erlaubnis zurück·nehmen</h3>
      <p>Haben Sie uns eine Erlaubnis für Ihre Daten gegeben?</p>
      <p>Zum Beispiel in dem Kontakt·formular auf unserer Internet·seite?</p>
      <p>Dann können Sie die Erlaubnis jederzeit zurück·nehmen.</p>
      <p>Ab dann benutzen wir die Daten nicht mehr dafür.</p>
      <p>
        <a href="/antrag/widerruf">Erlaubnis zurück·nehmen</a>
      </p>

      <h3>Sich beschweren</h3>
      <p>Sie sind nicht zufrieden mit uns?</p>
      <p>Dann können Sie sich beschweren.</p>
      <p>Es gibt ein besonderes Amt für Daten·schutz in Thüringen.</p>
      <p>Das Amt passt auf: Gehen die Ämter richtig mit Daten um?</p>
      <p>Das Amt heißt: Thüringer Landes·beauftragter für den Daten·schutz und die Informations·freiheit.</p>
      <p>Wir können Ihre Beschwerde zu diesem Amt schicken.</p>
      <p>
        <a href="/antrag/beschwerde">Beschwerde schicken</a>
      </p>

      <h2>So stellen Sie einen Antrag</h2>
      <p>Ein Antrag ist eine Bitte an ein Amt.</p>
      <p>Es geht in 4 Schritten.</p>
      <ol className="steps">
        <li>
          <p>Sie füllen ein Formular aus.</p>
          <p>Ein Formular ist eine Seite mit Fragen.</p>
          <p>Sie brauchen kein Benutzer·konto.</p>
        </li>
        <li>
          <p>Wir schicken Ihnen eine E-Mail.</p>
          <p>In der E-Mail steht ein Code.</p>
          <p>Ein Code ist wie ein Pass·wort.</p>
          <p>Sie schreiben den Code auf unsere Internet·seite.</p>
          <p>Dann wissen wir: Die E-Mail-Adresse gehört Ihnen.</p>
        </li>
        <li>
          <p>Wir suchen Ihre Daten in unseren Computern.</p>
          <p>Wir prüfen die Daten genau.</p>
        </li>
        <li>
          <p>Sie bekommen eine Antwort.</p>
          <p>Die Antwort kommt spätestens nach 1 Monat.</p>
          <p>Sie können die Antwort herunter·laden.</p>
          <p>Herunter·laden heißt: Sie speichern die Antwort auf Ihrem Computer oder auf Ihrem Handy.</p>
        </li>
      </ol>
      <p>Manchmal brauchen wir länger.</p>
      <p>Dann schreiben wir Ihnen vorher.</p>
      <p>Wir sagen Ihnen dann auch: Warum dauert es länger?</p>
      <p>
        <a href="/antrag">Einen Antrag stellen</a>
      </p>

      <h2>Das kostet nichts</h2>
      <p>Sie müssen für Ihren Antrag nichts bezahlen.</p>

      <h2>Sie können uns auch schreiben oder anrufen</h2>
      <p>Sie müssen das Formular nicht benutzen.</p>
      <p>Sie können uns auch:</p>
      <ul>
        <li>einen Brief schicken</li>
        <li>eine E-Mail schicken</li>
        <li>ein Fax schicken</li>
        <li>anrufen</li>
        <li>besuchen</li>
      </ul>
      <p>Alle Wege sind gleich gut.</p>
      <p>Das ist unsere Adresse:</p>
      <address>
        Thüringer Landesrechenzentrum
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
      </address>
      <p>
        Das ist unsere E-Mail-Adresse:{" "}
        <a href="mailto:poststelle@tlrz.thueringen.de">poststelle@tlrz.thueringen.de</a>
      </p>
      <p>
        Das ist unsere Telefon·nummer: <a href="tel:+4936157100">0361 57-100</a>
      </p>

      <h2>Mehr Informationen</h2>
      <p>Auf unseren anderen Seiten stehen noch mehr Informationen.</p>
      <p>Diese Seiten sind in schwerer Sprache.</p>
      <ul className="plain-list">
        <li>
          <a href="/datenschutz">Welche Daten wir haben und warum</a>
        </li>
        <li>
          <a href="/barrierefreiheit">Barrieren auf unserer Internet·seite melden</a>
        </li>
      </ul>
    </>
  );
}

// Easy Read mirrors the German page section by section, so both versions can be checked against each other.
function LeichteSpracheEn() {
  return (
    <>
      <h1>Your rights about your information</h1>
      <p className="lead">This page tells you the most important things in Easy Read.</p>

      <h2>Who are we?</h2>
      <p>We are the Thuringian State Data Centre.</p>
      <p>
        In German we are called <span lang="de">Thüringer Landesrechenzentrum</span>.
      </p>
      <p>We are an office of the state of Thuringia in Germany.</p>
      <p>Our office is in Erfurt.</p>
      <p>We look after computers for other offices in Thuringia.</p>
      <p>These computers also hold information about people.</p>
      <p>Maybe they hold information about you, too.</p>

      <h2>What is personal information?</h2>
      <p>Personal information is facts about a person.</p>
      <p>For example:</p>
      <ul>
        <li>your name</li>
        <li>your address</li>
        <li>your email address</li>
        <li>your phone number</li>
      </ul>
      <p>There is a law about personal information.</p>
      <p>The law is for all of Europe.</p>
      <p>The law is called the General Data Protection Regulation.</p>
      <p>The law says: You have rights about your information.</p>

      <h2>What rights do you have?</h2>
      <p>You have these rights.</p>

      <h3>You can ask</h3>
      <p>You can ask us: What information do you have about me?</p>
      <p>Then we tell you.</p>
      <p>You get a copy of your information.</p>
      <p>We also tell you:</p>
      <ul>
        <li>What do we do with the information?</li>
        <li>Where did we get the information?</li>
        <li>Who did we give the information to?</li>
        <li>How long do we keep the information?</li>
      </ul>
      <p>You do not have to tell us why you ask.</p>
      <p>
        <a href="/antrag/auskunft">Ask about your information</a>
      </p>

      <h3>Change wrong information</h3>
      <p>Is some information about you wrong?</p>
      <p>Then tell us.</p>
      <p>We will put it right.</p>
      <p>Is something missing?</p>
      <p>Then we will add it.</p>
      <p>
        <a href="/antrag/berichtigung">Ask us to change wrong information</a>
      </p>

      <h3>Delete information</h3>
      <p>Delete means: The information is gone afterwards.</p>
      <p>You can say: Please delete my information.</p>
      <p>You do not have to tell us why.</p>
      <p>We then check: Are we allowed to delete the information?</p>
      <p>We must keep some information for a while.</p>
      <p>A law says so.</p>
      <p>Then we tell you how long we keep it.</p>
      <p>
        <a href="/antrag/loeschung">Ask us to delete information</a>
      </p>

      <h3>Block information</h3>
      <p>Block means: We keep the information.</p>
      <p>But we do not use it.</p>
      <p>An example:</p>
      <p>You say: The information is wrong.</p>
      <p>We check this.</p>
      <p>While we check, we block the information.</p>
      <p>
        <a href="/antrag/einschraenkung">Ask us to block information</a>
      </p>

      <h3>Take your information with you</h3>
      <p>You get your information as a file.</p>
      <p>A file is like a document on a computer.</p>
      <p>You can give the file to another office or a company.</p>
      <p>This only works for some information.</p>
      <p>For example: You gave us information.</p>
      <p>And you gave us your permission to use it.</p>
      <p>
        <a href="/antrag/datenuebertragung">Get your information as a file</a>
      </p>

      <h3>Say no</h3>
      <p>Sometimes we need your information for a job of the state.</p>
      <p>You can say no to this.</p>
      <p>This is called an objection.</p>
      <p>Then tell us: Why do you say no?</p>
      <p>What is special about your situation?</p>
      <p>We check this.</p>
      <p>Then we give you an answer.</p>
      <p>
        <a href="/antrag/widerspruch">Send an objection</a>
      </p>

      <h3>Take back your permission</h3>
      <p>Did you give us permission to use your information?</p>
      <p>For example in the contact form on our website?</p>
      <p>Then you can take back your permission at any time.</p>
      <p>After that we stop using the information for this.</p>
      <p>
        <a href="/antrag/widerruf">Take back your permission</a>
      </p>

      <h3>Complain</h3>
      <p>Are you unhappy with us?</p>
      <p>Then you can complain.</p>
      <p>Thuringia has a special office for personal information.</p>
      <p>This office checks: Do other offices use personal information in the right way?</p>
      <p>
        In German the office is called{" "}
        <span lang="de">Thüringer Landesbeauftragter für den Datenschutz und die Informationsfreiheit</span>.
      </p>
      <p>We can send your complaint to this office.</p>
      <p>
        <a href="/antrag/beschwerde">Send a complaint</a>
      </p>

      <h2>How to make a request</h2>
      <p>A request means: You ask an office to do something.</p>
      <p>There are 4 steps.</p>
      <ol className="steps">
        <li>
          <p>You fill in a form.</p>
          <p>A form is a page with questions.</p>
          <p>You do not need a user account.</p>
        </li>
        <li>
          <p>We send you an email.</p>
          <p>The email has a code in it.</p>
          <p>A code is like a password.</p>
          <p>You type the code on our website.</p>
          <p>Then we know: The email address is yours.</p>
        </li>
        <li>
          <p>We look for your information on our computers.</p>
          <p>We check the information carefully.</p>
        </li>
        <li>
          <p>You get an answer.</p>
          <p>The answer comes within 1 month.</p>
          <p>You can download the answer.</p>
          <p>Download means: You save the answer on your computer or on your mobile phone.</p>
        </li>
      </ol>
      <p>Sometimes we need more time.</p>
      <p>Then we write to you first.</p>
      <p>We also tell you: Why does it take longer?</p>
      <p>
        <a href="/antrag">Make a request</a>
      </p>

      <h2>It costs nothing</h2>
      <p>You do not have to pay for your request.</p>

      <h2>You can also write to us or call us</h2>
      <p>You do not have to use the form.</p>
      <p>You can also:</p>
      <ul>
        <li>send a letter</li>
        <li>send an email</li>
        <li>send a fax</li>
        <li>call us</li>
        <li>visit us</li>
      </ul>
      <p>All ways are just as good.</p>
      <p>This is our address:</p>
      <address lang="de">
        Thüringer Landesrechenzentrum
        <br />
        Ludwig-Erhard-Ring 8
        <br />
        99099 Erfurt
        <br />
        Germany
      </address>
      <p>
        This is our email address:{" "}
        <a href="mailto:poststelle@tlrz.thueringen.de">poststelle@tlrz.thueringen.de</a>
      </p>
      <p>
        This is our phone number: <a href="tel:+4936157100">+49 361 57-100</a>
      </p>

      <h2>More information</h2>
      <p>Our other pages have more information.</p>
      <p>These pages are not in Easy Read.</p>
      <ul className="plain-list">
        <li>
          <a href="/datenschutz">What information we have and why</a>
        </li>
        <li>
          <a href="/barrierefreiheit">Tell us about problems with using our website</a>
        </li>
      </ul>
    </>
  );
}

export const leichteSprache: PageContent = {
  title: {
    de: "Leichte Sprache – Rechteportal des TLRZ",
    en: "Easy Read – TLRZ rights portal",
  },
  description: {
    de: "Ihre Rechte bei Ihren Daten in Leichter Sprache: fragen, ändern, löschen, sperren, mitnehmen, dagegen sein, sich beschweren.",
    en: "Your rights about your information in Easy Read: ask, change, delete, block, take with you, say no, complain.",
  },
  de: LeichteSpracheDe,
  en: LeichteSpracheEn,
};
