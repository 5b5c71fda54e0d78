/** Texts of the deletion concept: retention rules, sweeps and their evidence. */
export const retentionDe = {
  title: "Aufbewahrung und Löschung",
};
