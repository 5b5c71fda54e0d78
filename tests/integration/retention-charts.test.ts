import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BarChart } from "#app/ui/charts/bar-chart";
import { ColumnChart } from "#app/ui/charts/column-chart";
import { niceTicks } from "#app/ui/charts/scale";

const props = {
  title: "Gelöscht je Tag",
  description: "Drei Tage, zusammen 60.",
  series: [
    { label: "01.11.", value: 10 },
    { label: "02.11.", value: 0 },
    { label: "03.11.", value: 50 },
  ],
  labelHeader: "Tag",
  valueHeader: "Gelöscht",
};

describe("server-rendered charts", () => {
  for (const [name, Chart, size] of [
    ["BarChart", BarChart, "width"],
    ["ColumnChart", ColumnChart, "height"],
  ] as const) {
    it(`${name} is one labelled image with title and description, and its data as a table`, () => {
      const html = renderToStaticMarkup(createElement(Chart, props));
      const svg = /<svg[^>]*>/.exec(html)![0];
      expect(svg).toContain('role="img"');
      const [titleId, descId] = /aria-labelledby="([^"]+)"/.exec(svg)![1]!.split(" ");
      expect(html).toContain(`<title id="${titleId}">Gelöscht je Tag</title>`);
      expect(html).toContain(`<desc id="${descId}">Drei Tage, zusammen 60.</desc>`);
      expect(html.match(/<tr>/g)).toHaveLength(4);
      expect(html).toContain('<th scope="row">03.11.</th><td class="chart__number">50</td>');
      // The largest value gets the longest bar; a zero value none.
      const bars = [...html.matchAll(new RegExp(`class="chart__bar"[^>]*? ${size}="([\\d.]+)"`, "g"))].map(
        (m) => Number(m[1]),
      );
      expect(bars).toHaveLength(3);
      expect(Math.max(...bars)).toBe(bars[2]);
      expect(bars[1]).toBe(0);
    });
  }

  it("chooses readable axis steps", () => {
    expect(niceTicks(50)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
