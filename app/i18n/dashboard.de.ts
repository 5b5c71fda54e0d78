/** Texts of the DPO's view: dashboard, register of requests, annual report, reminders. */
export const dashboardDe = {
  title: "Übersicht für die Datenschutzbeauftragte",
};
