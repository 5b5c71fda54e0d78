import type { Channel } from "../core/channels";
import type { FindingDecisionKind, ReviewRoundState, StoreJobState } from "../core/review-states";
import type { CaseStatus } from "../core/case-status";
import type { IndexUse } from "../sources/connector";
import { durationParts } from "../sources/gathering-estimate";
import type { GivenUpHow } from "../core/store-given-up";
import { textsOf } from "./texts";

const count = new Intl.NumberFormat("de-DE");
const decimal = new Intl.NumberFormat("de-DE", { maximumSignificantDigits: 3 });

/** Texts of the staff area under /intern. */
export const staffDe = {
  areaName: "Interner Bereich",
  signIn: {
    title: "Anmeldung für Beschäftigte",
    intro:
      "Dieser Bereich ist den Beschäftigten des TLRZ vorbehalten. Die Anmeldung hat zwei Schritte: Kennwort, dann ein Code aus Ihrer Authenticator-App.",
    userName: "Benutzername",
    password: "Kennwort",
    submit: "Weiter",
    invalid: "Benutzername oder Kennwort ist falsch.",
    locked: (until: string) => `Das Konto ist nach mehreren Fehlversuchen bis ${until} Uhr gesperrt.`,
    tooMany: "Zu viele Anmeldeversuche von diesem Gerät. Bitte warten Sie eine Viertelstunde.",
    userNameRequired: "Bitte geben Sie Ihren Benutzernamen ein.",
    passwordRequired: "Bitte geben Sie Ihr Kennwort ein.",
  },
  code: {
    title: "Code bestätigen",
    intro:
      "Geben Sie den sechsstelligen Code aus Ihrer Authenticator-App ein. Haben Sie das Gerät nicht zur Hand, können Sie einen Ihrer Wiederherstellungscodes verwenden.",
    label: "Code",
    hint: "Sechs Ziffern oder ein Wiederherstellungscode (zum Beispiel 1A2B3-C4D5E)",
    submit: "Anmelden",
    invalid: "Der Code ist falsch, abgelaufen oder wurde schon verwendet.",
    locked: "Zu viele falsche Codes: Das Konto ist vorübergehend gesperrt.",
    expired: "Ihre Anmeldung ist abgelaufen. Bitte beginnen Sie erneut.",
    restart: "Neu anmelden",
    required: "Bitte geben Sie den Code ein.",
  },
  enrol: {
    title: "Zwei-Faktor-Anmeldung einrichten",
    intro:
      "Die Anmeldung mit einem zweiten Faktor ist Pflicht. Scannen Sie den QR-Code mit einer Authenticator-App (zum Beispiel FreeOTP oder Aegis) und geben Sie den angezeigten Code ein.",
    qrLabel: "QR-Code zum Einrichten der Authenticator-App",
    manual: "Oder geben Sie diesen Schlüssel von Hand ein:",
    uri: "Einrichtungsadresse (otpauth)",
    submit: "Einrichtung bestätigen",
    invalid: "Der Code passt nicht. Prüfen Sie die Uhrzeit Ihres Geräts und versuchen Sie es erneut.",
    doneTitle: "Eingerichtet: Ihre Wiederherstellungscodes",
    doneIntro:
      "Bewahren Sie diese Codes sicher auf. Jeder Code ersetzt einmal den Code aus der App. Sie werden nur jetzt angezeigt.",
    continue: "Weiter zum internen Bereich",
  },
  fresh: {
    title: "Erneut bestätigen",
    intro: "Für diese Aktion ist ein aktueller Code aus Ihrer Authenticator-App nötig.",
    submit: "Bestätigen",
  },
  home: {
    title: "Interner Bereich",
    welcome: (name: string) => `Angemeldet als ${name}`,
    roles: "Ihre Rollen",
    sessions: "Angemeldete Sitzungen",
    signOut: "Abmelden",
  },
  sessions: {
    title: "Angemeldete Sitzungen",
    intro: "Eine Sitzung, die Sie nicht kennen, beenden Sie hier sofort.",
    who: "Person",
    since: "Angemeldet seit",
    until: "Gültig bis",
    action: "Aktion",
    revoke: "Sitzung beenden",
    current: "diese Sitzung",
    none: "Keine aktiven Sitzungen.",
    revoked: "Die Sitzung wurde beendet.",
  },
  cases: {
    title: "Vorgänge",
    filter: "Filtern",
    all: "alle",
    status: "Status",
    kind: "Art",
    channel: "Eingangsweg",
    assignee: "Bearbeitung",
    unassigned: "nicht zugewiesen",
    mine: "meine",
    apply: "Anwenden",
    reference: "Aktenzeichen",
    received: "Eingang",
    deadline: "Frist",
    none: "Keine Vorgänge für diese Auswahl.",
    dueSoon: "bald fällig",
    overdue: "überfällig",
    extended: "verlängert",
    count: (n: number) => `${n} Vorgänge, nach Frist sortiert`,
    statuses: textsOf<CaseStatus>({
      unproven: "unbestätigt",
      received: "eingegangen",
      gathering: "Daten werden gesammelt",
      review: "in Prüfung",
      approved: "freigegeben",
      answered: "beantwortet",
      "carried-out": "umgesetzt",
      forwarded: "an den TLfDI weitergeleitet",
      refused: "abgelehnt",
      withdrawn: "zurückgezogen",
    }),
    channels: textsOf<Channel>({
      web: "Webformular",
      email: "E-Mail",
      letter: "Brief",
      fax: "Fax",
      phone: "Telefon",
      "in-person": "persönlich",
    }),
  },
  case: {
    back: "Zur Vorgangsliste",
    facts: "Angaben",
    identifiers: "Suchmerkmale",
    proven: "bestätigt",
    unprovenId: "nicht bestätigt",
    assignTo: "Zuweisen an",
    assign: "Zuweisen",
    gathering: "Datensammlung",
    startGather: "Daten sammeln",
    regather: "Erneut sammeln (neue Fassung)",
    version: (v: number) => `Fassung ${v}`,
    compared: (previous: number, added: number, removed: number, changed: number) =>
      `Gegenüber Fassung ${previous}: ${added} neu, ${removed} nicht mehr gefunden, ${changed} mit geändertem Inhalt.`,
    frozen: "eingefroren für die Prüfung",
    store: "Datenquelle",
    state: "Stand",
    progress: "Fortschritt",
    found: "Treffer",
    retry: "Erneut versuchen",
    storeStates: textsOf<StoreJobState>({
      queued: "wartet",
      running: "läuft",
      done: "fertig",
      failed: "fehlgeschlagen",
    }),
    refresh: "Aktualisieren",
    problemsHeading: "Hinweise",
    partial:
      "Teilweise durchsucht: Teile dieses Systems wurden nicht gelesen; es kann weitere Daten der Person enthalten.",
    givenUp: {
      "cut-off": (tries: number) =>
        `Die Suche wurde ${tries}-mal abgebrochen (der Hintergrunddienst hielt an oder die Suche lief ab); das System ist nicht durchsucht. Bitte erneut versuchen.`,
      "not-started": (tries: number) =>
        `Die Suche hat nie begonnen (ihr Auftrag wurde nach ${tries} Versuchen aufgegeben); das System ist nicht durchsucht. Bitte erneut versuchen.`,
    } satisfies Record<GivenUpHow, (tries: number) => string>,
    malformed: (n: number) =>
      n === 1 ? "1 Datensatz war nicht lesbar." : `${n} Datensätze waren nicht lesbar.`,
    problemsOf: (store: string) => `Hinweise zu ${store}`,
    problemAt: (where: string, line: number | null) => (line === null ? where : `${where}, Zeile ${line}`),
    notSearched: "nicht durchsucht",
    furtherProblems: (n: number) =>
      n === 1
        ? "1 weiterer Hinweis (nicht einzeln aufgeführt)"
        : `${n} weitere Hinweise (nicht einzeln aufgeführt)`,
    searchedWithoutIndex: textsOf<Extract<IndexUse, { via: "scan" }>["reason"]>({
      missing: "Ohne Suchindex durchsucht (es ist keiner angelegt): jeder Datensatz wurde gelesen.",
      outdated:
        "Ohne Suchindex durchsucht (er stammt von einer älteren Version und muss neu aufgebaut werden): jeder Datensatz wurde gelesen.",
      unreadable: "Ohne Suchindex durchsucht (er ist nicht lesbar): jeder Datensatz wurde gelesen.",
      untracked:
        "Ohne Suchindex durchsucht (Änderungen an den Datensätzen wurden nicht lückenlos mitgeschrieben; er muss neu aufgebaut werden): jeder Datensatz wurde gelesen.",
    }),
    indexCovers: (use: Extract<IndexUse, { via: "index" }>) => {
      const upTo = (mark: string) => `bis Nr. ${count.format(BigInt(mark))}`;
      // A mark of null: the index covers no record yet (none is filed), so no number is named.
      const tables = "tables" in use ? use.tables : [{ table: null, coveredUpTo: use.coveredUpTo }];
      const newer = use.newerRows;
      const changed = use.changedRows ?? 0;
      if (newer + changed === 0) {
        // Nothing read without the index: a table whose index covers nothing held no record.
        const marks = tables.map(({ table, coveredUpTo }) =>
          coveredUpTo === null
            ? `die Tabelle${table === null ? "" : ` ${table}`} enthielt keinen Datensatz`
            : `${table === null ? "" : `in der Tabelle ${table} `}${upTo(coveredUpTo)}`,
        );
        return tables.length === 1 && tables[0]!.coveredUpTo === null
          ? `Über den Suchindex durchsucht; ${marks[0]}.`
          : `Über den Suchindex durchsucht; er deckt alle Datensätze ab (${marks.join(tables.some((t) => t.coveredUpTo === null) ? "; " : " und ")}).`;
      }
      const covers = tables.every((t) => t.coveredUpTo === null)
        ? "der noch keinen Datensatz abdeckt"
        : `der die Datensätze ${tables
            .map(({ table, coveredUpTo }) =>
              [
                table === null ? null : `in der Tabelle ${table}`,
                coveredUpTo === null ? "noch keine" : upTo(coveredUpTo),
              ]
                .filter(Boolean)
                .join(" "),
            )
            .join(" und ")} abdeckt`;
      const read = [
        newer === 0 ? null : newer === 1 ? "1 neuerer Datensatz" : `${count.format(newer)} neuere Datensätze`,
        changed === 0
          ? null
          : changed === 1
            ? "1 seit der Indizierung geschriebener oder geänderter Datensatz"
            : `${count.format(changed)} seit der Indizierung geschriebene oder geänderte Datensätze`,
      ]
        .filter(Boolean)
        .join(" und ");
      return `Über den Suchindex durchsucht, ${covers}; ${read} ${newer + changed === 1 ? "wurde" : "wurden"} ohne Index gelesen.`;
    },
    expected: "Erwartet",
    duration: (seconds: number) => {
      const { hours, minutes, secs } = durationParts(seconds);
      if (hours > 0) return `etwa ${hours} Std.${minutes > 0 ? ` ${minutes} Min.` : ""}`;
      return minutes > 0 ? `etwa ${minutes} Min.` : `etwa ${secs} Sek.`;
    },
    expectedTotal: (duration: string, cpuSeconds: number, gigabytes: number) =>
      `Bei den eingestellten Größen der Datenquellen dauert die Suche für eine Anfrage ${duration}; sie kostet ${count.format(Math.round(cpuSeconds))} Sekunden Rechenzeit und liest ${decimal.format(gigabytes)} GB.`,
    expectedUnsized: (stores: string) => `Ohne eingestellte Größe, daher nicht mitgerechnet: ${stores}.`,
    expectedAssumesIndex: (stores: string, duration: string) =>
      `Das setzt voraus, dass der Suchindex von ${stores} aufgebaut und aktuell ist. Ohne ihn (keiner angelegt, von einer älteren Version, oder Änderungen wurden nicht lückenlos mitgeschrieben: die Sammeltabelle sagt dann „Ohne Suchindex durchsucht“) wird jeder Datensatz gelesen, und die Suche dauert ${duration}.`,
    expectedWithIndex: (withIndex: string, withoutIndex: string) =>
      `${withIndex} mit Index, ${withoutIndex} ohne`,
    failedActionsHeading: "Nicht bestätigte Maßnahmen",
    failedActionsIntro: (n: number) =>
      n === 1
        ? "Eine Maßnahme hat das System nicht bestätigt. Die Person und die Empfänger erfahren davon nichts, bis sie bestätigt ist."
        : `${n} Maßnahmen hat das System nicht bestätigt. Die Person und die Empfänger erfahren davon nichts, bis sie bestätigt sind.`,
    failedActionsLink: "Erneut ausführen oder von Hand erledigen (Umsetzung)",
    findings: "Treffer und Prüfung",
    noFindings: "Keine Treffer.",
    suggestion: "Vorschlag",
    decision: "Entscheidung",
    decisions: textsOf<FindingDecisionKind>({
      release: "herausgeben",
      withhold: "zurückhalten",
      redact: "schwärzen",
    }),
    undecided: "offen",
    select: "auswählen",
    ground: "Grund",
    reasoning: "Begründung (Pflicht beim Zurückhalten und Schwärzen)",
    reviewOn: "Erneut prüfen am (Pflicht beim Zurückhalten)",
    omitReasons: "Gründe in der Antwort weglassen (§ 21 Abs. 4 ThürDSG)",
    fields:
      "Zu schwärzende Felder kreuzen Sie im Datensatz an („schwärzen“); sie werden in allen ausgewählten Treffern geschwärzt.",
    record: {
      raw: "Datensatz wie gespeichert (JSON)",
      redact: "schwärzen",
      suggested: "(Vorschlag: schwärzen, Daten anderer)",
      entries: (n: number) => `${n} Einträge`,
      rawLineNote:
        "Wird ein Feld dieser Zeile geschwärzt, wird die gespeicherte Zeile (Rohdaten) mitgeschwärzt: Sie enthält alle Felder noch einmal.",
    },
    applyDecision: "Entscheidung für die ausgewählten Treffer speichern",
    filterFindings: "Treffer filtern",
    filterState: "Stand der Entscheidung",
    allFindings: "alle",
    noSuggestion: "ohne Vorschlag",
    applyFilter: "Filter anwenden",
    showAll: "Alle Treffer zeigen",
    withCount: (label: string, n: string) => `${label} (${n})`,
    findingsCount: (total: string) => `${total} Treffer`,
    undecidedCount: (undecided: string) => `${undecided} ohne Entscheidung`,
    byStore: "Treffer nach Datenquelle",
    matching: (matching: string) => `Der Filter trifft ${matching} Treffer.`,
    pageOf: (page: string, pages: string, from: string, to: string) =>
      `Seite ${page} von ${pages}: Treffer ${from} bis ${to}.`,
    noneMatching: "Kein Treffer entspricht dem Filter.",
    pageEmpty: (pages: string) =>
      `Auf dieser Seite ist kein Treffer mehr; der Filter trifft Treffer auf ${pages} Seiten.`,
    pages: "Seiten der Treffer",
    page: "Seite",
    previousPage: "Vorherige Seite",
    nextPage: "Nächste Seite",
    scope: "Anwenden auf",
    scopeChecked: "die angekreuzten Treffer dieser Seite",
    scopeFilter: (n: string, filter: string) => `alle ${n} Treffer, die dem Filter entsprechen (${filter})`,
    scopeAll: (n: string) => `alle ${n} Treffer dieses Vorgangs`,
    startReview: "Prüfung beginnen (friert die Treffer ein)",
    propose: "Zur Freigabe vorlegen",
    approve: "Freigeben (Vier-Augen-Prinzip)",
    sendBack: "Zurückgeben",
    sendBackComment: "Hinweis zur Rückgabe",
    roundStates: textsOf<ReviewRoundState>({
      open: "in Prüfung",
      proposed: "zur Freigabe vorgelegt",
      approved: "freigegeben",
      returned: "zurückgegeben",
    }),
    errors: textsOf({
      "no-gathering": "Es gibt noch keine Datensammlung.",
      "not-open": "Diese Prüfung ist nicht mehr offen.",
      "foreign-finding": "Die Auswahl gehört nicht zu diesem Vorgang.",
      "unknown-ground": "Bitte wählen Sie einen Grund aus dem Katalog.",
      "reasoning-required": "Bitte begründen Sie die Entscheidung (mindestens zehn Zeichen).",
      "review-date-required": "Bitte geben Sie ein künftiges Datum für die erneute Prüfung an.",
      "reasons-not-omissible": "Bei diesem Grund dürfen die Gründe nicht weggelassen werden.",
      "unknown-field":
        "Ein angekreuztes Feld gibt es nicht in jedem ausgewählten Treffer. Bitte kreuzen Sie nur Felder an, die alle ausgewählten Treffer haben.",
      "undecided-findings": "Zu jedem Treffer muss eine Entscheidung vorliegen.",
      "unknown-store": "Diese Datenquelle hat in diesem Vorgang keine Treffer.",
      "invalid-filter":
        "Diesen Filter gibt es nicht: Bitte wählen Sie Datenquelle, Vorschlag, Stand und Seite aus den angebotenen.",
      "no-matching-findings": "Kein Treffer entspricht dem Filter.",
      "selection-changed":
        "Die Treffer des Filters haben sich seit dem Aufruf der Seite geändert. Bitte prüfen Sie die Zahl und entscheiden Sie erneut.",
      "not-proposed": "Die Prüfung ist nicht zur Freigabe vorgelegt.",
      "own-proposal": "Eine eigene Vorlage kann nicht selbst freigegeben werden.",
      "not-permitted": "Dafür fehlt Ihnen die Berechtigung.",
      "changed-since-review": "Ein Treffer hat sich seit der Prüfung geändert.",
      "too-late": "Eine Verlängerung ist nur innerhalb des ersten Monats möglich.",
      "already-extended": "Die Frist wurde bereits verlängert.",
      "reasons-required": "Bitte begründen Sie ausführlich (mindestens 20 Zeichen).",
      "unknown-case": "Der Vorgang ist noch nicht eingegangen.",
      "not-approved": "Es gibt noch keine freigegebene Prüfung.",
      closed: "Der Vorgang ist bereits abgeschlossen.",
      "internal-reasoning-required": "Bitte schreiben Sie die interne Begründung (mindestens 20 Zeichen).",
      "kind-not-declinable":
        "Ablehnen lässt sich nur eine beantragte Berichtigung oder Einschränkung, die noch nicht abgelehnt ist.",
      "already-declined": "Dieser Teil des Antrags wurde bereits abgelehnt.",
      "actions-open":
        "Zu diesem Teil des Antrags ist noch eine Maßnahme vorgeschlagen, freigegeben oder fehlgeschlagen. Entscheiden Sie zuerst über sie.",
      "already-carried-out": "Dieser Teil des Antrags ist bereits umgesetzt.",
      "already-released":
        "Die Antwort dieser Prüfung ist bereits freigegeben; eine zweite Freigabe gibt es nicht.",
      "unknown-assignee":
        "Diese Person gibt es unter den Mitarbeitenden nicht (mehr). Bitte wählen Sie erneut.",
      invalid: "Die Eingabe ist unvollständig.",
    }),
    saved: "Gespeichert.",
    extend: "Frist verlängern (Art. 12 Abs. 3 DS-GVO)",
    extendMonths: "Um wie viele Monate?",
    oneMonth: "einen Monat",
    twoMonths: "zwei Monate",
    extendReasons: "Gründe (werden der Person mitgeteilt)",
    extendSubmit: "Verlängern und Person benachrichtigen",
    refuse: "Antrag ablehnen (Art. 12 Abs. 5 DS-GVO)",
    refuseGround: "Der Antrag ist",
    refuseReasons: "Gründe (werden der Person mitgeteilt)",
    refuseSubmit: "Ablehnen und Person benachrichtigen",
    decline: "Als unbegründet ablehnen (Art. 12 Abs. 4 DS-GVO)",
    declineIntro:
      "Für eine Berichtigung oder Einschränkung, die sich in der Sache als unbegründet erweist (die Daten sind richtig, kein Fall des Art. 18 Abs. 1 DS-GVO). Die Person erhält die Gründe mit dem Beschwerderecht und der Rechtsbehelfsbelehrung; ist nichts anderes mehr offen, endet der Vorgang als abgelehnt.",
    declineKinds: "Welcher Teil des Antrags wird abgelehnt?",
    declinePersonReasons: "Gründe für die Person (stehen in der Mitteilung)",
    declineReasoning: "Interne Begründung (für die Akte und die TLfDI, erscheint nie in der Mitteilung)",
    declineSubmit: "Als unbegründet ablehnen und Person benachrichtigen",
    declined: (kinds: string, date: string) => `Abgelehnt als unbegründet: ${kinds} (am ${date})`,
  },
  storeChecks: {
    title: "Quellsysteme",
    intro:
      "Jedes eingerichtete Quellsystem wird beim Laden dieser Seite geprüft: Ist es erreichbar und lesbar? Ein System, das nicht antwortet, gilt nach der Wartezeit als nicht erreichbar.",
    store: "System",
    kind: "Art",
    result: "Prüfung",
    ok: "erreichbar",
    notReachable: "nicht erreichbar",
    timedOut: (seconds: number) => `keine Antwort innerhalb von ${seconds} Sekunden`,
    misconfigured: "Nicht eingerichtet (fehlerhafte Konfiguration)",
    misconfiguredIntro:
      "Diese Einträge der Konfiguration konnten nicht eingerichtet werden; sie werden weder durchsucht noch geändert.",
    none: "Keine.",
    checkedAt: (time: string) => `Geprüft: ${time}`,
    again: "Erneut prüfen",
  },
  notices: {
    rightsFooter: (authority: string, address: string, complaintLink: string) =>
      `Sie haben das Recht, sich bei der Aufsichtsbehörde zu beschweren: ${authority}, ${address}. Das Rechteportal leitet Ihre Beschwerde auf Wunsch weiter: ${complaintLink}`,
    extensionSubject: (reference: string) => `Ihr Antrag ${reference}: Wir brauchen mehr Zeit`,
    extensionBody: (reference: string, deadline: string, reasons: string) =>
      `Guten Tag,\n\nwir bearbeiten Ihren Antrag ${reference}. Wir können ihn leider nicht innerhalb eines Monats abschließen und verlängern die Frist nach Art. 12 Abs. 3 Satz 2 DS-GVO bis zum ${deadline}.\n\nDie Gründe:\n${reasons}`,
    refusalSubject: (reference: string) => `Ihr Antrag ${reference}: Entscheidung`,
    refusalBody: (reference: string, ground: string, reasons: string) =>
      `Guten Tag,\n\nwir werden auf Ihren Antrag ${reference} nicht tätig, weil er ${ground} ist (Art. 12 Abs. 5 Satz 2 Buchst. b DS-GVO).\n\nDie Gründe:\n${reasons}\n\nGegen diese Entscheidung können Sie Klage beim zuständigen Verwaltungsgericht erheben (Art. 78, 79 DS-GVO, § 20 ThürDSG).`,
    unfounded: "offenkundig unbegründet",
    excessive: "exzessiv",
    signature: "Mit freundlichen Grüßen\nIhr Thüringer Landesrechenzentrum",
  },
};
