/**
 * index.html of the archive: the answer itself (the same blocks as the letter), an overview of the
 * data and every record, in one self-contained page. No external resources: inline CSS, no script,
 * and a Content-Security-Policy that forbids loading anything, so opening it offline is safe even if
 * a record contains markup (everything is escaped anyway).
 */
import { processingActivityById } from "#app/core/processing-activities";
import type { JsonValue, MatchedIdentifier } from "#app/sources/connector";
import type { AnswerInput } from "./answer-input";
import { dataFile } from "./archive-layout";
import type { Block, LetterContent } from "./letter-content";
import { pathLabel } from "./record-fields";
import type { ShownRecord } from "./record-format";
import { markerAt, redactionMap, type RedactionMap } from "./redaction";
import type { CopySummary, StoreSummary } from "./summary";
import { answerTexts, type AnswerTexts } from "./texts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const NEEDS_ESCAPE = /[&<>"']/;

function escapeHtml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{max-width:70rem;margin:0 auto;padding:1rem 1.5rem 4rem}
h1{font-size:1.6rem}h2{font-size:1.35rem;margin-top:2.5rem;border-bottom:2px solid #1d4f91;padding-bottom:.2rem}
h3{font-size:1.15rem;margin-top:1.6rem}h4{font-size:1.05rem;margin:1.2rem 0 .3rem}h5{font-size:1rem;margin:.8rem 0 .2rem}
a{color:#1d4f91}table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f3f8;font-weight:600}td{overflow-wrap:break-word}
.scroll{overflow-x:auto}table.records{font-size:.9rem;min-width:100%}table.records td{min-width:8rem;max-width:36rem}
table.records td:has(pre){min-width:22rem}
table.records tbody tr:nth-child(even){background:#f7f7f7}
dl.object{display:grid;grid-template-columns:max-content 1fr;gap:0 .6rem;margin:0}dl.object dt{font-weight:600}dl.object dd{margin:0}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9em}
.redacted{background:#222;color:#fff;padding:0 .3rem;border-radius:2px;white-space:nowrap}
.empty{color:#666;font-style:italic}ol.array{margin:0;padding-left:1.5rem}
.facts th{background:none;border:none;padding-left:0}.facts td{border:none}
@media print{table.records tr{break-inside:avoid}}
`;

function blockHtml(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `<h3>${escapeHtml(block.text)}</h3>\n`;
    case "subheading":
      return `<h4>${escapeHtml(block.text)}</h4>\n`;
    case "label":
      return `<h5>${escapeHtml(block.text)}</h5>\n`;
    case "paragraph":
      return `<p>${escapeHtml(block.text)}</p>\n`;
    case "list":
      return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>\n`;
  }
}

function storeAnchor(store: string): string {
  return `bestand-${store}`;
}

function emptyHtml(t: AnswerTexts): string {
  return `<span class="empty">${t.html.empty}</span>`;
}

/** A value inside a table cell: lists and nested objects as lines, redactions as marked text. */
function valueHtml(
  value: JsonValue | undefined,
  path: string,
  redactions: RedactionMap,
  t: AnswerTexts,
): string {
  const marker = markerAt(redactions, path);
  if (marker) return `<span class="redacted">${escapeHtml(marker)}</span>`;
  if (value === undefined || value === null || value === "") return value === undefined ? "" : emptyHtml(t);
  if (typeof value === "string")
    return value.includes("\n") ? `<pre>${escapeHtml(value)}</pre>` : escapeHtml(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return emptyHtml(t);
    return `<ol class="array">${value.map((item, i) => `<li>${valueHtml(item, `${path}.${i}`, redactions, t)}</li>`).join("")}</ol>`;
  }
  let members = "";
  for (const [key, member] of Object.entries(value)) {
    members += `<dt>${escapeHtml(key)}</dt><dd>${valueHtml(member, path ? `${path}.${key}` : key, redactions, t)}</dd>`;
  }
  return `<dl class="object">${members}</dl>`;
}

export interface StoreTable {
  start: string;
  row(finding: ShownRecord, n: number): string;
  end: string;
}

/**
 * One store's records as a table: a row per record, a column per top-level field (as in the JSON
 * and CSV files). Frame columns that would be the same in every row are said once above it.
 */
export function storeTable(store: StoreSummary, input: AnswerInput, t: AnswerTexts): StoreTable {
  const lang = input.lang;
  const m = t.html.meta;
  const anchor = storeAnchor(store.store);
  const keys = store.content.properties ? [...store.content.properties.keys()] : null;
  const showActivity = store.activities.size > 1;
  const showRole = store.roles.size > 1;
  const showMatched = store.identifiers.size > 1;
  const showRedactions = store.redactedRecords > 0;
  const activities = [...store.activities.keys()]
    .map((id) => processingActivityById[id].name[lang])
    .join("; ");
  const matched = (id: Pick<MatchedIdentifier, "kind" | "recordValue">) =>
    `${t.identifierKinds[id.kind]}: ${id.recordValue}`;
  const [onlyRole] = store.roles;
  const [onlyIdentifier] = store.identifiers.values();
  const shared = [
    t.html.storeIntro(store.count, activities),
    ...(!showRole && onlyRole ? [`${m.role}: ${t.roles[onlyRole]}.`] : []),
    ...(!showMatched && onlyIdentifier ? [`${m.matched}: ${matched(onlyIdentifier)}.`] : []),
    t.html.times,
  ];
  const headers = [
    m.number,
    m.recordedAt,
    ...(showActivity ? [m.activity] : []),
    ...(showRole ? [m.role] : []),
    ...(showMatched ? [m.matched] : []),
    m.ref,
    ...(keys ?? ["content"]),
    ...(showRedactions ? [m.redactions] : []),
  ];
  const start =
    `<section id="${anchor}" aria-labelledby="${anchor}-titel"><h2 id="${anchor}-titel">${escapeHtml(t.html.storeHeading(t.storeKinds[store.storeKind], store.store))}</h2>\n` +
    `<p>${escapeHtml(shared.join(" "))}</p>\n` +
    `<div class="scroll" role="region" aria-labelledby="${anchor}-titel" tabindex="0"><table class="records">\n` +
    `<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("")}</tr></thead>\n<tbody>\n`;

  function row(finding: ShownRecord, n: number): string {
    const redactions = redactionMap(finding.redactions, lang);
    let cells = `<tr id="${anchor}-${n}"><th scope="row">${n}</th>`;
    cells += `<td>${finding.recordedAt ? escapeHtml(t.formatDateTime(finding.recordedAt)) : ""}</td>`;
    if (showActivity)
      cells += `<td>${escapeHtml(processingActivityById[finding.processingActivityId].name[lang])}</td>`;
    if (showRole) cells += `<td>${finding.role ? escapeHtml(t.roles[finding.role]) : ""}</td>`;
    if (showMatched) cells += `<td>${escapeHtml(matched(finding.matchedIdentifier))}</td>`;
    cells += `<td>${escapeHtml(finding.ref)}</td>`;
    if (keys)
      for (const key of keys) cells += `<td>${valueHtml(finding.content[key], key, redactions, t)}</td>`;
    else cells += `<td>${valueHtml(finding.content, "", redactions, t)}</td>`;
    // The field by its label in the person's language, as the copy's columns show it, not the internal path.
    if (showRedactions)
      cells += `<td>${escapeHtml(finding.redactions.map((r) => `${pathLabel(store.storeKind, r.field, lang)} ${redactions.get(r.field)}`).join("; "))}</td>`;
    return `${cells}</tr>\n`;
  }

  return { start, row, end: "</tbody></table></div>\n</section>\n" };
}

function overviewHtml(summary: CopySummary, t: AnswerTexts): string {
  if (summary.stores.length === 0) return `<p>${t.html.noRecords}</p>\n`;
  const h = t.html.table;
  const rows = summary.stores
    .map((s: StoreSummary) => {
      const files = [dataFile(s.store, "json"), dataFile(s.store, "csv")]
        .map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`)
        .join(", ");
      return (
        `<tr><td><a href="#${storeAnchor(s.store)}">${escapeHtml(s.store)}</a></td><td>${escapeHtml(t.storeKinds[s.storeKind])}</td>` +
        `<td>${s.count}</td><td>${s.redactedRecords}</td><td>${files}</td></tr>`
      );
    })
    .join("\n");
  return (
    `<table><thead><tr><th scope="col">${h.store}</th><th scope="col">${h.kind}</th><th scope="col">${h.records}</th>` +
    `<th scope="col">${h.redacted}</th><th scope="col">${h.files}</th></tr></thead><tbody>\n${rows}\n</tbody></table>\n<p>${t.html.csvNote}</p>\n`
  );
}

/** The page's head and everything above the records. */
export function htmlHead(input: AnswerInput, summary: CopySummary, letter: LetterContent): string {
  const t = answerTexts(input.lang);
  const title = escapeHtml(t.html.title(input.reference));
  const nav = [
    `<li><a href="#auskunft">${t.html.answer}</a></li>`,
    `<li><a href="#uebersicht">${t.html.overview}</a></li>`,
    ...summary.stores.map(
      (s) =>
        `<li><a href="#${storeAnchor(s.store)}">${escapeHtml(t.html.storeHeading(t.storeKinds[s.storeKind], s.store))}</a></li>`,
    ),
  ].join("");
  const facts = letter.info
    .map(
      ([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join("");
  return (
    `<!DOCTYPE html>\n<html lang="${input.lang}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${title}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
    `<header><h1>${title}</h1><p>${escapeHtml(t.html.intro(t.formatDate(input.answeredAt)))}</p></header>\n` +
    `<nav aria-labelledby="inhalt"><h2 id="inhalt">${t.html.contents}</h2><ul>${nav}</ul></nav>\n<main>\n` +
    `<section id="auskunft" aria-labelledby="auskunft-titel"><h2 id="auskunft-titel">${t.html.answer}</h2>\n` +
    `<table class="facts">${facts}</table>\n<h3>${escapeHtml(letter.subject)}</h3>\n<p>${escapeHtml(letter.salutation)}</p>\n` +
    letter.body.map(blockHtml).join("") +
    letter.closing.map((line) => `<p>${escapeHtml(line)}</p>\n`).join("") +
    `</section>\n<section id="uebersicht" aria-labelledby="uebersicht-titel"><h2 id="uebersicht-titel">${t.html.overview}</h2>\n` +
    overviewHtml(summary, t) +
    `</section>\n`
  );
}

export const HTML_END = "</main>\n</body>\n</html>\n";
