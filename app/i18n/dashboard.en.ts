import type { Messages } from "./de";

export const dashboardEn: Messages["dashboard"] = {
  title: "Overview for the data protection officer",
};
