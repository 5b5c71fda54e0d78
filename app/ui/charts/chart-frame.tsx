import { type ReactNode, useId } from "react";
import type { ChartProps } from "./chart-types";

/**
 * The accessible frame of every chart: the SVG is one image with a title and a description, and
 * the same data stand beside it as a table, which assistive technology and printouts can read.
 */
export function ChartFrame({
  title,
  description,
  series,
  labelHeader,
  valueHeader,
  formatValue = String,
  width,
  height,
  children,
}: ChartProps & { width: number; height: number; children: ReactNode }) {
  const id = useId();
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        className="chart__svg"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
      <table className="chart__table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            <th scope="col">{valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {series.map((datum, index) => (
            <tr key={`${index}-${datum.label}`}>
              <th scope="row">{datum.label}</th>
              <td className="chart__number">{formatValue(datum.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
