import { Form } from "react-router";
import type { Route } from "../+types/vorgang";
import { type FindingsFilter, findingStates, findingsViewSearch, isFiltered } from "#app/core/findings-view";
import { restrictionGrounds } from "#app/core/restriction-grounds";
import type { FindingDecisionKind } from "#app/core/review-states";
import { useLocalized, useMessages } from "#app/i18n";
import { FilterSelect } from "#app/ui/form/filter-select";

type Listing = Route.ComponentProps["loaderData"]["listing"];

/**
 * Large cases are reviewed view by view: the counts to choose a view by, the filter (a GET form, so
 * every view is a link), and the pages of the view. Without JavaScript.
 */
export function FindingsCounts({ listing }: { listing: Listing }) {
  const m = useMessages();
  const t = m.staff.case;
  const n = m.dashboard.formatNumber;
  return (
    <>
      <p>
        {t.findingsCount(n(listing.total))},{" "}
        {listing.undecided > 0 ? (
          <a href={findingsViewSearch({ state: "undecided" })}>{t.undecidedCount(n(listing.undecided))}</a>
        ) : (
          t.undecidedCount(n(0))
        )}
      </p>
      {listing.stores.length > 0 ? (
        <table>
          <caption>{t.byStore}</caption>
          <thead>
            <tr>
              <th scope="col">{t.store}</th>
              <th scope="col">{t.found}</th>
              <th scope="col">{t.filterState}</th>
            </tr>
          </thead>
          <tbody>
            {listing.stores.map((s) => (
              <tr key={s.store}>
                <th scope="row">
                  <a href={findingsViewSearch({ store: s.store })}>{s.store}</a>
                </th>
                <td>{n(s.total)}</td>
                <td>
                  {s.undecided > 0 ? (
                    <a href={findingsViewSearch({ store: s.store, state: "undecided" })}>
                      {t.undecidedCount(n(s.undecided))}
                    </a>
                  ) : (
                    t.undecidedCount(n(0))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** The filter: store, the rules' suggestion, the state of the decision; each option with its count. */
export function FindingsFilterForm({ listing }: { listing: Listing }) {
  const m = useMessages();
  const t = m.staff.case;
  const n = m.dashboard.formatNumber;
  const localized = useLocalized();
  const { filter } = listing;
  const offered = listing.suggestions.filter((s) => s.count > 0 || s.value === filter.suggestion);
  return (
    // Keyed by the view: the selects show the filter of the page they are on, also after a client-side navigation.
    <Form method="get" className="filters" aria-label={t.filterFindings} key={findingsViewSearch(filter)}>
      <FilterSelect
        name="store"
        label={t.store}
        all={t.allFindings}
        value={filter.store}
        options={listing.stores.map((s) => [s.store, t.withCount(s.store, n(s.total))])}
      />
      <FilterSelect
        name="suggestion"
        label={t.suggestion}
        all={t.allFindings}
        value={filter.suggestion}
        options={offered.map((s) => [
          s.value,
          t.withCount(suggestionLabel(s.value, t.noSuggestion, localized), n(s.count)),
        ])}
      />
      <FilterSelect
        name="state"
        label={t.filterState}
        all={t.allFindings}
        value={filter.state}
        options={findingStates.map((state) => [
          state,
          t.withCount(stateLabel(state, t), n(listing.states[state])),
        ])}
      />
      <button className="button button--secondary" type="submit">
        {t.applyFilter}
      </button>
      {isFiltered(filter) ? (
        <p>
          <a href="?">{t.showAll}</a>
        </p>
      ) : null}
    </Form>
  );
}

/** Where the page stands in the view, and links to the other pages (the first, the last, and those near). */
export function FindingsPager({ listing, shown }: { listing: Listing; shown: number }) {
  const m = useMessages();
  const t = m.staff.case;
  const n = m.dashboard.formatNumber;
  const { page, pageCount, pageSize, filter, matching } = listing;
  if (matching === 0) return <p>{t.noneMatching}</p>;
  const from = (page - 1) * pageSize + 1;
  const near = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pageCount])]
    .filter((p) => p >= 1 && p <= pageCount)
    .sort((a, b) => a - b);
  return (
    <>
      <p>
        {isFiltered(filter) ? `${t.matching(n(matching))} ` : null}
        {shown > 0
          ? t.pageOf(n(page), n(pageCount), n(from), n(from + shown - 1))
          : t.pageEmpty(n(pageCount))}
      </p>
      {pageCount > 1 || page > pageCount ? (
        <nav aria-label={t.pages}>
          <ul className="pager">
            {page > 1 ? (
              <li>
                <a href={findingsViewSearch(filter, Math.min(page - 1, pageCount))} rel="prev">
                  {t.previousPage}
                </a>
              </li>
            ) : null}
            {near.map((p, i) => (
              <li key={p}>
                {i > 0 && p - near[i - 1]! > 1 ? <span aria-hidden="true">… </span> : null}
                <a href={findingsViewSearch(filter, p) || "?"} aria-current={p === page ? "page" : undefined}>
                  <span className="visually-hidden">{t.page} </span>
                  {n(p)}
                </a>
              </li>
            ))}
            {page < pageCount ? (
              <li>
                <a href={findingsViewSearch(filter, page + 1)} rel="next">
                  {t.nextPage}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

/** The filter in words, for the group choice of the decision panel. */
export function useFilterDescription(): (filter: FindingsFilter) => string {
  const t = useMessages().staff.case;
  const localized = useLocalized();
  return (filter) =>
    [
      filter.store ? `${t.store}: ${filter.store}` : null,
      filter.suggestion
        ? `${t.suggestion}: ${suggestionLabel(filter.suggestion, t.noSuggestion, localized)}`
        : null,
      filter.state ? `${t.filterState}: ${stateLabel(filter.state, t)}` : null,
    ]
      .filter(Boolean)
      .join("; ");
}

function suggestionLabel(
  value: NonNullable<FindingsFilter["suggestion"]>,
  none: string,
  localized: ReturnType<typeof useLocalized>,
): string {
  return value === "none"
    ? none
    : `${restrictionGrounds[value].reference}: ${localized(restrictionGrounds[value].label)}`;
}

function stateLabel(
  state: NonNullable<FindingsFilter["state"]>,
  t: { undecided: string; decisions: Readonly<Record<FindingDecisionKind, string>> },
): string {
  return state === "undecided" ? t.undecided : t.decisions[state];
}
