import type { Messages } from "./de";

export const executionEn: Messages["execution"] = {
  title: "Carrying out",
};
