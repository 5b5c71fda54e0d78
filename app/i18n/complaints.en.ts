import type { Messages } from "./de";

export const complaintsEn: Messages["complaints"] = {
  title: "Complaint to the supervisory authority",
};
