import type { ReactNode } from "react";
import { NavLink, useLocation } from "react-router";
import { useLang, useMessages } from "../i18n";

export function SiteLayout({ children }: { children: ReactNode }) {
  const m = useMessages();
  return (
    <>
      <a className="skip-link" href="#inhalt">
        {m.layout.skipLink}
      </a>
      <SiteHeader />
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

/** A plain link, so it works without JavaScript; it sets the language and returns to this page. */
function LanguageSwitch() {
  const m = useMessages();
  const lang = useLang();
  const location = useLocation();
  const other = lang === "de" ? "en" : "de";
  const back = new URLSearchParams(location.search);
  back.delete("lang");
  const query = back.toString();
  const target = new URLSearchParams({ lang: other, zurueck: `${location.pathname}${query ? `?${query}` : ""}` });
  return (
    <a className="language-switch" href={`/sprache?${target.toString()}`} hrefLang={other} lang={other} title={m.layout.otherLanguageHint}>
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
      <p>
        © {m.meta.siteOwner}
      </p>
    </footer>
  );
}
