import type { Messages } from "./de";

export const journeyEn: Messages["journey"] = {
  title: "Make a request",
};
