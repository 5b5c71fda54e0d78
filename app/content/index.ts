export { home } from "./home";
export { barrierefreiheit } from "./barrierefreiheit";
export { leichteSprache } from "./leichte-sprache";
export { impressum } from "./impressum";
export type { PageContent } from "./types";
