import type { Messages } from "./de";

export const retentionEn: Messages["retention"] = {
  title: "Retention and deletion",
};
