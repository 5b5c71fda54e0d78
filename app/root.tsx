import type { ReactNode } from "react";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  data,
  isRouteErrorResponse,
  useRouteError,
} from "react-router";
import type { Route } from "./+types/root";
import { useLang, useMessages } from "./i18n";
import { getLang } from "./i18n/lang.server";
import stylesheet from "./styles/app.css?url";
import { SiteLayout } from "./ui/layout";
import { useNonce } from "./ui/nonce";
import { PageTitle } from "./ui/page-title";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: Route.LoaderArgs) {
  const lang = await getLang(request);
  try {
    decodeURIComponent(new URL(request.url).pathname);
  } catch {
    throw data({ lang }, { status: 400 });
  }
  return { lang };
}

export function Layout({ children }: { children: ReactNode }) {
  const lang = useLang();
  const nonce = useNonce();
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        <SiteLayout>{children}</SiteLayout>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const m = useMessages();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, text] =
    status === 404
      ? [m.errors.notFoundTitle, m.errors.notFoundText]
      : status === 403
        ? [m.errors.forbiddenTitle, m.errors.forbiddenText]
        : status === 413
          ? [m.errors.tooLargeTitle, m.errors.tooLargeText]
          : status === 429
            ? [m.errors.busyTitle, m.errors.busyText]
            : status >= 400 && status < 500
              ? [m.errors.badRequestTitle, m.errors.badRequestText]
              : [m.errors.genericTitle, m.errors.genericText];
  return (
    <article className="error-page">
      <PageTitle title={title} />
      <h1>{title}</h1>
      <p>{text}</p>
      <p className="note">{m.errors.status(status)}</p>
      <p>
        <a href="/">{m.errors.backHome}</a>
      </p>
    </article>
  );
}
