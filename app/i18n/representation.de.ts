/**
 * Requests filed for someone else (ADR 0011): the choice on the request form and the staff intake,
 * and the staff's check of the representative's authority on the case page.
 */
import type { AuthorityCheckResult, AuthorityDocumentKind, RepresentativeRole } from "../core/representation";
import { textsOf } from "./texts";

export const representationDe = {
  form: {
    legend: "Für wen stellen Sie den Antrag?",
    self: "Für mich selbst",
    other: "Für eine andere Person, die ich vertrete",
    otherHint:
      "Dann ist die E-Mail-Adresse oben Ihre eigene: An sie senden wir den Code und alle Nachrichten, und die Antwort geht an Sie. Unter „Wonach sollen wir suchen?“ geben Sie die Angaben der vertretenen Person an; ihr Name ist dann Pflicht, bei einem Kind auch sein Geburtsdatum.",
    role: "Ihre Rolle",
    name: "Ihr Name",
    postalAddress: "Ihre Postanschrift",
    postalAddressHint: "Straße und Hausnummer, Postleitzahl und Ort. Briefe an Sie gehen hierhin.",
    phone: "Ihre Telefonnummer",
    proof:
      "Bevor wir antworten, prüfen wir Ihre Vertretungsmacht. Schicken Sie uns die Vollmacht der vertretenen Person, für ein Kind die Geburtsurkunde oder den Nachweis des Sorgerechts, als Betreuerin oder Betreuer den Betreuerausweis – per Post, oder als Kopie auf der Seite Ihres Vorgangs. Wir sehen das Dokument nur an: Eine Kopie löschen wir, sobald wir die Prüfung eingetragen haben. Für ein Kind ab 16 Jahren brauchen wir seine eigene Vollmacht, denn ab diesem Alter übt es sein Recht selbst aus.",
  },
  intake: {
    legend: "Wer hat den Antrag gestellt?",
    self: "Die betroffene Person selbst",
    other: "Eine Vertreterin oder ein Vertreter für die betroffene Person",
    otherHint:
      "E-Mail-Adresse und Antwort gehören dann der Vertretung; Name, Anschrift, Telefon und Geburtsdatum unten sind die der vertretenen Person (danach wird gesucht).",
    role: "Rolle der Vertretung",
    name: "Name der Vertretung",
    postalAddress: "Postanschrift der Vertretung",
    phone: "Telefon der Vertretung",
    birthDate: "Geburtsdatum der vertretenen Person",
  },
  /** The case page the representative reads: whom the case is about. */
  filedFor: (name: string, role: string) => `Gestellt für ${name} – von Ihnen (${role}).`,
  filedForUnnamed: (role: string) => `Gestellt für die Person, die Sie vertreten – von Ihnen (${role}).`,
  roles: {
    authorised: "Bevollmächtigte oder Bevollmächtigter",
    parent: "Elternteil oder Vormund eines Kindes",
    custodian: "Rechtliche Betreuerin oder rechtlicher Betreuer",
    attorney: "Rechtsanwältin oder Rechtsanwalt",
  } satisfies Record<RepresentativeRole, string>,
  documents: {
    "power-of-attorney": "Vollmacht der vertretenen Person",
    "birth-certificate": "Geburtsurkunde des Kindes (gemeinsames Sorgerecht)",
    "custody-document": "Nachweis des alleinigen Sorgerechts oder Bestellung als Vormund",
    "court-appointment": "Betreuerausweis oder Beschluss des Betreuungsgerichts",
  } satisfies Record<AuthorityDocumentKind, string>,
  check: {
    heading: "Vertretung",
    filedBy: (name: string, role: string) => `Gestellt von ${name} als ${role}.`,
    contact: "Erreichbar",
    represented:
      "Die Suchmerkmale oben sind die der vertretenen Person; die E-Mail-Adresse des Vorgangs ist die der Vertretung und wird nicht gesucht.",
    none: "Die Vertretungsmacht ist noch nicht geprüft. Die Antwort kann erst nach einer bestätigten Prüfung freigegeben werden.",
    last: (who: string, when: string, document: string, result: string) =>
      `Zuletzt geprüft von ${who} am ${when}: ${document} – ${result}.`,
    results: {
      confirmed: "Vertretungsmacht bestätigt",
      rejected: "nicht nachgewiesen",
    } satisfies Record<AuthorityCheckResult, string>,
    childOwnRights:
      "Das Kind ist 16 Jahre oder älter (oder sein Alter ist unbekannt): Es übt sein Recht selbst aus. Nur seine eigene Vollmacht weist die Vertretung nach.",
    documentLegend: "Vorgelegtes Dokument",
    resultLegend: "Ergebnis",
    copies: "Hochgeladene Kopien dieses Vorgangs, die mit dem Eintrag gelöscht werden",
    copiesHint: "Aufbewahrt wird nur, wer was mit welchem Ergebnis geprüft hat, keine Kopie des Dokuments.",
    submit: "Prüfung eintragen",
    backToCase: "Zurück zum Vorgang",
    recorded: "Die Prüfung ist eingetragen.",
    /** The case page's message to the representative. */
    messageConfirmed: (document: string) =>
      `Wir haben Ihre Vertretungsmacht anhand des Dokuments „${document}“ geprüft und bestätigt.`,
    messageRejected: (document: string) =>
      `Wir haben das Dokument „${document}“ geprüft: Es weist Ihre Vertretungsmacht nicht nach. Bevor wir Ihren Antrag beantworten können, brauchen wir einen Nachweis, etwa eine Vollmacht der vertretenen Person.`,
    messageDeleted: (files: string) =>
      `Die Kopie, die Sie uns geschickt haben, haben wir danach gelöscht (${files}); wir halten nur fest, wer wann was geprüft hat.`,
  },
  errors: textsOf({
    "document-required": "Bitte wählen Sie, welches Dokument Sie geprüft haben.",
    "result-required": "Bitte wählen Sie das Ergebnis der Prüfung.",
    "not-represented": "Dieser Antrag wurde nicht für eine andere Person gestellt.",
    "document-not-accepted": "Dieses Dokument weist die Vertretungsmacht in dieser Rolle nicht nach.",
    "unknown-copy": "Die ausgewählte Kopie gehört nicht zu diesem Vorgang.",
    "authority-unconfirmed":
      "Die Vertretungsmacht ist noch nicht bestätigt. Prüfen Sie zuerst den Nachweis und tragen Sie die Prüfung ein; erst dann kann die Antwort freigegeben werden.",
  }),
};
