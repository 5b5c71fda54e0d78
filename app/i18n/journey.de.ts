/** Texts of the data subject's journey: forms, code confirmation, case pages, mails. */
export const journeyDe = {
  title: "Antrag stellen",
};
