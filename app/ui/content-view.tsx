import type { PageContent } from "../content/types";
import { useLang } from "../i18n";
import { PageTitle } from "./page-title";

/** An editorial page in the page's language. */
export function ContentView({ content }: { content: PageContent }) {
  const lang = useLang();
  const Body = content[lang];
  return (
    <article className="prose">
      <PageTitle title={content.title[lang]} description={content.description[lang]} />
      <Body />
    </article>
  );
}
