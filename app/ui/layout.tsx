import type { ReactNode } from "react";
import { Form, NavLink, useLocation, useMatches } from "react-router";
import type { Permission } from "../core/permissions";
import { useLang, useMessages } from "../i18n";

/**
 * The page frame. The staff area (everything under /intern) gets its own header and navigation:
 * the public navigation leads a case handler nowhere they work, and a person never sees staff links.
 */
export function SiteLayout({ children }: { children: ReactNode }) {
  const m = useMessages();
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#inhalt">
        {m.layout.skipLink}
      </a>
      {isStaffPath(pathname) ? <StaffHeader pathname={pathname} /> : <SiteHeader />}
      <main id="inhalt" tabIndex={-1}>
        {children}
      </main>
      <SiteFooter />
    </>
  );
}

function SiteHeader() {
  const m = useMessages();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a className="site-brand" href="/">
          <span className="site-brand__name">{m.meta.siteName}</span>
          <span className="site-brand__owner">{m.meta.siteOwner}</span>
        </a>
        <nav aria-label={m.layout.mainNav}>
          <ul className="site-nav">
            <li>
              <NavLink to="/" end>
                {m.layout.nav.start}
              </NavLink>
            </li>
            <li>
              <NavLink to="/antrag">{m.layout.nav.request}</NavLink>
            </li>
            <li>
              <NavLink to="/vorgang">{m.layout.nav.cases}</NavLink>
            </li>
            <li>
              <NavLink to="/datenschutz">{m.layout.nav.privacy}</NavLink>
            </li>
          </ul>
        </nav>
        <LanguageSwitch />
      </div>
    </header>
  );
}

function isStaffPath(pathname: string): boolean {
  return pathname === "/intern" || pathname.startsWith("/intern/");
}

/** Pages of the staff area that are shown before the sign-in is complete: no navigation there. */
const signInPaths = ["/intern/anmelden", "/intern/einrichten"];

/** The staff navigation: each page for those who hold its permission; sessions and sign-out for all. */
const staffPages: {
  href: string;
  label: "cases" | "intake" | "overview" | "retention" | "deletionLog" | "sources" | "printQueue";
  permission: Permission;
}[] = [
  { href: "/intern/vorgaenge", label: "cases", permission: "case:read" },
  { href: "/intern/eingang", label: "intake", permission: "request:intake" },
  { href: "/intern/druck", label: "printQueue", permission: "case:read" },
  { href: "/intern/uebersicht", label: "overview", permission: "statistics:read" },
  { href: "/intern/aufbewahrung", label: "retention", permission: "retention:manage" },
  { href: "/intern/loeschprotokoll", label: "deletionLog", permission: "statistics:read" },
  { href: "/intern/quellen", label: "sources", permission: "sources:manage" },
];

/**
 * The signed-in member's permissions, as the page's loader gave them (`me.permissions`, the
 * convention of the staff pages); null on a page that does not say (an error page, sessions).
 */
function useStaffPermissions(): readonly string[] | null {
  const matches = useMatches();
  for (const match of [...matches].reverse()) {
    const permissions = (match.data as { me?: { permissions?: unknown } } | null | undefined)?.me
      ?.permissions;
    if (Array.isArray(permissions)) return permissions.filter((p): p is string => typeof p === "string");
  }
  return null;
}

function StaffHeader({ pathname }: { pathname: string }) {
  const m = useMessages();
  const t = m.staffNav;
  const permissions = useStaffPermissions();
  const signingIn = signInPaths.some((path) => pathname === path || pathname.startsWith(`${path}/`));
  // A page that does not name the permissions shows only what every signed-in member may open.
  const pages = permissions ? staffPages.filter((page) => permissions.includes(page.permission)) : [];
  return (
    <header className="site-header site-header--staff">
      <div className="site-header__inner">
        <a className="site-brand" href="/intern">
          <span className="site-brand__name">{m.meta.siteName}</span>
          <span className="site-brand__owner">{t.home}</span>
        </a>
        {signingIn ? null : (
          <nav aria-label={t.label}>
            <ul className="site-nav">
              {pages.map((page) => (
                <li key={page.href}>
                  <NavLink to={page.href}>{t[page.label]}</NavLink>
                </li>
              ))}
              <li>
                <NavLink to="/intern/sitzungen">{t.sessions}</NavLink>
              </li>
              <li>
                <Form method="post" action="/intern/abmelden" className="sign-out">
                  <button type="submit" className="sign-out__button">
                    {t.signOut}
                  </button>
                </Form>
              </li>
            </ul>
          </nav>
        )}
        <LanguageSwitch />
      </div>
    </header>
  );
}

/** A plain link, so it works without JavaScript; it sets the language and returns to this page. */
function LanguageSwitch() {
  const m = useMessages();
  const lang = useLang();
  const location = useLocation();
  const other = lang === "de" ? "en" : "de";
  const back = new URLSearchParams(location.search);
  back.delete("lang");
  const query = back.toString();
  const target = new URLSearchParams({
    lang: other,
    zurueck: `${location.pathname}${query ? `?${query}` : ""}`,
  });
  return (
    <a
      className="language-switch"
      href={`/sprache?${target.toString()}`}
      hrefLang={other}
      lang={other}
      title={m.layout.otherLanguageHint}
    >
      {m.layout.otherLanguage}
    </a>
  );
}

function SiteFooter() {
  const m = useMessages();
  return (
    <footer className="site-footer">
      <nav aria-label={m.layout.footerNav}>
        <ul>
          <li>
            <a href="/barrierefreiheit">{m.layout.footer.accessibility}</a>
          </li>
          <li>
            <a href="/leichte-sprache">{m.layout.footer.easyRead}</a>
          </li>
          <li>
            <a href="/datenschutz">{m.layout.footer.privacy}</a>
          </li>
          <li>
            <a href="/impressum">{m.layout.footer.imprint}</a>
          </li>
        </ul>
      </nav>
      <p>© {m.meta.siteOwner}</p>
    </footer>
  );
}
