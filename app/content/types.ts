import type * as React from "react";

/** One public editorial page: German is the source text, English is a complete counterpart. */
export interface PageContent {
  title: { de: string; en: string };
  description: { de: string; en: string };
  de: () => React.JSX.Element;
  en: () => React.JSX.Element;
}
