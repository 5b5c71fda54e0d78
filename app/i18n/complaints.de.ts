/** Texts of complaints to the supervisory authority and of the record for it (§ 21(5) ThürDSG). */
export const complaintsDe = {
  title: "Beschwerde bei der Aufsichtsbehörde",
};
