import { Link } from "react-router";
import { requestKinds } from "../core/request-kinds";
import { useLang, useMessages } from "../i18n";
import { PageTitle } from "../ui/page-title";

/** Choose a right: the eight kinds in plain words, each leading to its form. */
export default function ChooseRequestKind() {
  const m = useMessages().journey.choose;
  const lang = useLang();
  return (
    <>
      <PageTitle title={m.title} description={m.intro} />
      <h1>{m.title}</h1>
      <p className="lead">{m.intro}</p>
      <p>{m.noReason}</p>
      <ul className="card-list">
        {requestKinds.map((kind) => (
          <li className="card" key={kind.slug}>
            <h2>{kind.label[lang]}</h2>
            <p>{kind.description[lang]}</p>
            <p className="note">{lang === "de" ? kind.article : kind.articleEn}</p>
            <Link className="button" to={`/antrag/${kind.slug}`}>
              {m.start(kind.label[lang])}
            </Link>
          </li>
        ))}
      </ul>
      <p className="note">{m.otherWays}</p>
    </>
  );
}
