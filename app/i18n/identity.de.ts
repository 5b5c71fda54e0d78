import type {
  AssuranceLevel,
  IdentityFailure,
  ProofSource,
  ProviderIdentifierKind,
} from "../core/identity-proof";
import { textsOf } from "./texts";

/**
 * Proof of identity through the state's identity provider (issue 19, ADR 0019): the person's page,
 * its messages, the proof marks on the case pages and in the review, and the privacy notice's part.
 */
export const identityDe = {
  title: "Identität mit dem Online-Ausweis nachweisen",
  offer: (provider: string) => `Identität mit dem Online-Ausweis über ${provider} nachweisen (freiwillig)`,
  offerAfterFiling: (provider: string) =>
    `Wenn Sie möchten, können Sie jetzt auch Ihren Namen, Ihr Geburtsdatum und Ihre Anschrift mit dem Online-Ausweis über ${provider} nachweisen. Dann können wir Ihnen auch Daten herausgeben, die nur unter diesen Angaben gespeichert sind.`,
  intro: (provider: string) =>
    `Einige Daten finden wir nur unter Ihrem Namen, Ihrem Geburtsdatum oder Ihrer Anschrift – zum Beispiel Melderegisterauskünfte, in denen nach Ihnen gesucht wurde. Solche Daten geben wir erst heraus, wenn feststeht, dass sie Ihnen gehören. Mit der Online-Ausweisfunktion Ihres Personalausweises über ${provider} können Sie das selbst nachweisen.`,
  handsOver: (provider: string) =>
    `${provider} übermittelt uns Ihren Vor- und Familiennamen, Ihr Geburtsdatum, Ihre Anschrift und das Vertrauensniveau der Anmeldung (eIDAS: niedrig, substanziell oder hoch). Wir zeigen Ihnen alles, bevor wir es verwenden. Die Anmeldedaten (Token) speichern wir nicht.`,
  levels:
    "Name und Geburtsdatum gelten ab dem Vertrauensniveau „substanziell“ als nachgewiesen, die Anschrift erst bei „hoch“ (Online-Ausweis).",
  voluntary:
    "Der Nachweis ist freiwillig. Ihr Antrag wird auch ohne ihn bearbeitet. Ihre E-Mail-Adresse weisen Sie weiter mit dem Code nach; Ihren Namen und Ihr Geburtsdatum können auch unsere Mitarbeitenden anhand eines Ausweises prüfen – eine Kopie wird nach der Prüfung gelöscht.",
  notForRepresentative: (provider: string, person: string | null) =>
    `Diesen Antrag haben Sie für ${person ?? "eine andere Person"} gestellt. Den Nachweis mit dem Online-Ausweis über ${provider} bieten wir dafür nicht an: Er weist nach, wer sich anmeldet – also Sie selbst, nicht ${person ?? "die Person, für die Sie handeln"}. Unsere Mitarbeitenden prüfen stattdessen Ihre Vertretungsbefugnis (etwa die Vollmacht oder die Bestellung) und bestätigen die Angaben ${person ? `von ${person}` : "der vertretenen Person"} anhand von Unterlagen, die Sie uns schicken oder vorlegen. Kopien löschen wir nach der Prüfung.`,
  start: (provider: string) => `Weiter zu ${provider}`,
  receivedTitle: (provider: string) => `Das hat ${provider} übermittelt`,
  receivedIntro: "Bitte prüfen Sie die Angaben. Erst wenn Sie sie übernehmen, gelten sie für Ihren Vorgang.",
  level: "Vertrauensniveau",
  levelNames: textsOf<AssuranceLevel | "unknown">({
    low: "niedrig",
    substantial: "substanziell",
    high: "hoch",
    unknown: "nicht angegeben",
  }),
  kinds: textsOf<ProviderIdentifierKind>({
    name: "Name",
    "birth-date": "Geburtsdatum",
    "postal-address": "Anschrift",
  }),
  proves: "wird als nachgewiesen übernommen",
  notProves: "auf diesem Vertrauensniveau nicht nachgewiesen – wird nicht übernommen",
  differs: (typed: string) =>
    `Abweichung: Sie hatten „${typed}“ angegeben. Ihre Angabe wird nicht überschrieben; beide bleiben gespeichert, und unsere Mitarbeitenden sehen den Unterschied.`,
  confirm: "Angaben übernehmen",
  discard: "Verwerfen",
  confirmed: (n: number) =>
    n === 1 ? "Eine Angabe ist jetzt nachgewiesen." : `${n} Angaben sind jetzt nachgewiesen.`,
  alreadyProven: "Diese Angaben waren schon nachgewiesen. Ihr Vorgang ist unverändert.",
  discarded: "Die übermittelten Angaben wurden verworfen. Ihr Vorgang ist unverändert.",
  back: "Zurück zum Vorgang",
  unchanged: "Ihr Vorgang ist unverändert.",
  errors: textsOf<IdentityFailure>({
    "not-offered": "Ein Nachweis mit dem Online-Ausweis ist für diesen Vorgang nicht möglich.",
    unavailable:
      "Der Identitätsanbieter ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.",
    refused: "Sie haben die Anmeldung beim Identitätsanbieter abgebrochen.",
    state:
      "Die Antwort des Identitätsanbieters gehört nicht zu Ihrer Anmeldung (sie wurde verändert oder in einem anderen Fenster begonnen). Bitte beginnen Sie den Nachweis neu.",
    nonce:
      "Die Antwort des Identitätsanbieters konnte nicht Ihrer Anmeldung zugeordnet werden und wurde verworfen. Bitte beginnen Sie den Nachweis neu.",
    code: "Die Anmeldung beim Identitätsanbieter ist abgelaufen oder wurde schon verwendet. Bitte beginnen Sie den Nachweis neu.",
    invalid:
      "Die Antwort des Identitätsanbieters war ungültig und wurde verworfen. Bitte beginnen Sie den Nachweis neu.",
    "no-attempt":
      "Zu dieser Rückkehr vom Identitätsanbieter gibt es keine begonnene Anmeldung (oder sie ist abgelaufen). Bitte beginnen Sie den Nachweis auf der Seite Ihres Vorgangs neu.",
    "nothing-usable":
      "Der Identitätsanbieter hat nichts übermittelt, was auf dem erreichten Vertrauensniveau als Nachweis gilt.",
    "nothing-received": "Es liegen keine übermittelten Angaben vor. Bitte beginnen Sie den Nachweis neu.",
  }),
  returnTitle: "Rückkehr vom Identitätsanbieter",
  toCases: "Zu Ihren Vorgängen",
  proofSources: textsOf<ProofSource>({
    "email-code": "per E-Mail-Code",
    "identity-provider": "mit dem Online-Ausweis",
    "staff-check": "durch Prüfung unserer Mitarbeitenden",
  }),
  provenBy: (source: string) => `nachgewiesen ${source}`,
  differsMark: "weicht vom Nachweis mit dem Online-Ausweis ab",
  staff: {
    proofBehind: "Beleg",
    proofSources: textsOf<ProofSource>({
      "email-code": "E-Mail-Code",
      "identity-provider": "Identitätsanbieter",
      "staff-check": "Prüfung durch Mitarbeitende",
    }),
    levelOf: (level: string) => `Vertrauensniveau ${level}`,
    differs: "weicht von der Angabe des Identitätsanbieters ab – nicht überschrieben, bitte klären",
  },
  privacy: {
    title: "Nachweis der Identität",
    provider: (provider: string) =>
      `Wer möchte, kann seinen Namen, sein Geburtsdatum und seine Anschrift mit der Online-Ausweisfunktion des Personalausweises über ${provider} nachweisen. ${provider} übermittelt dann Vor- und Familienname, Geburtsdatum, Anschrift und das Vertrauensniveau der Anmeldung. Die Person sieht die Angaben, bevor sie verwendet werden; wir speichern sie als nachgewiesene Angaben des Vorgangs, nicht aber die Anmeldedaten (Token). Rechtsgrundlage: Art. 6 Abs. 1 lit. c, Art. 12 Abs. 6 DS-GVO.`,
    none: "Ein Nachweis über einen Identitätsanbieter (Online-Ausweis) wird derzeit nicht angeboten.",
    voluntary:
      "Der Nachweis ist freiwillig: Die E-Mail-Adresse wird mit einem Code nachgewiesen; andere Angaben können unsere Mitarbeitenden anhand eines Ausweises prüfen, dessen Kopie nach der Prüfung gelöscht wird.",
  },
};
