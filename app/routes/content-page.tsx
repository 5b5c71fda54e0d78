import { useMatches } from "react-router";
import { barrierefreiheit, impressum, leichteSprache } from "../content";
import type { PageContent } from "../content/types";
import { ContentView } from "../ui/content-view";

const pages: Record<string, PageContent> = {
  barrierefreiheit,
  "leichte-sprache": leichteSprache,
  impressum,
};

export default function ContentPage() {
  const id = useMatches().at(-1)?.id ?? "";
  const content = pages[id];
  if (!content) throw new Error(`No content for route ${id}`);
  return <ContentView content={content} />;
}
