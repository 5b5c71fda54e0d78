/** Texts of carrying out erasure, restriction, rectification, objection and Art. 19 notices. */
export const executionDe = {
  title: "Umsetzung",
};
