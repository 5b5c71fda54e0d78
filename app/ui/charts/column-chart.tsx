import { ChartFrame } from "./chart-frame";
import type { ChartProps } from "./chart-types";
import { niceTicks } from "./scale";

const WIDTH = 640;
const HEIGHT = 280;
const LEFT = 56;
const RIGHT = 12;
const TOP = 16;
const BOTTOM = 48;

/**
 * Columns in the order given, for amounts over time (per day, per month): the series is the time
 * axis. With many columns only every n-th label is written under the axis; the table has them all.
 */
export function ColumnChart(props: ChartProps) {
  const { series, formatValue = String } = props;
  const ticks = niceTicks(Math.max(0, ...series.map((d) => d.value)));
  const top = ticks.at(-1)!;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(1, series.length);
  const labelEvery = Math.max(1, Math.ceil(series.length / 8));
  return (
    <ChartFrame {...props} width={WIDTH} height={HEIGHT}>
      {ticks.map((tick) => (
        <g key={tick} className="chart__grid">
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} />
          <text x={LEFT - 6} y={y(tick)} dominantBaseline="middle" textAnchor="end">
            {formatValue(tick)}
          </text>
        </g>
      ))}
      {series.map((datum, index) => {
        const x = LEFT + index * slot;
        return (
          <g key={`${index}-${datum.label}`}>
            <rect
              className="chart__bar"
              x={x + slot * 0.15}
              y={y(datum.value)}
              width={slot * 0.7}
              height={Math.max(0, TOP + plotHeight - y(datum.value))}
            />
            {index % labelEvery === 0 ? (
              <text className="chart__label" x={x + slot / 2} y={HEIGHT - BOTTOM + 18} textAnchor="middle">
                {datum.label}
              </text>
            ) : null}
          </g>
        );
      })}
      <line
        className="chart__axis"
        x1={LEFT}
        x2={WIDTH - RIGHT}
        y1={TOP + plotHeight}
        y2={TOP + plotHeight}
      />
    </ChartFrame>
  );
}
