import { useMessages } from "../i18n";

/** React 19 hoists these into <head>: every page states its own title and description. */
export function PageTitle({ title, description }: { title: string; description?: string }) {
  const m = useMessages();
  return (
    <>
      <title>{`${title} – ${m.meta.titleSuffix}`}</title>
      {description ? <meta name="description" content={description} /> : null}
    </>
  );
}
