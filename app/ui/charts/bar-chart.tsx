import { ChartFrame } from "./chart-frame";
import type { ChartProps } from "./chart-types";
import { niceTicks } from "./scale";

const WIDTH = 640;
const LABEL_WIDTH = 200;
const ROW = 30;
const BAR = 20;
const TOP = 24;

/** Horizontal bars, one per category, for comparing amounts (e.g. per store or per request kind). */
export function BarChart(props: ChartProps) {
  const { series, formatValue = String } = props;
  const ticks = niceTicks(Math.max(0, ...series.map((d) => d.value)));
  const top = ticks.at(-1)!;
  const plot = WIDTH - LABEL_WIDTH - 60;
  const x = (value: number) => LABEL_WIDTH + (value / top) * plot;
  const height = TOP + series.length * ROW + 8;
  return (
    <ChartFrame {...props} width={WIDTH} height={height}>
      {ticks.map((tick) => (
        <g key={tick} className="chart__grid">
          <line x1={x(tick)} x2={x(tick)} y1={TOP - 4} y2={height - 4} />
          <text x={x(tick)} y={TOP - 8} textAnchor="middle">
            {formatValue(tick)}
          </text>
        </g>
      ))}
      {series.map((datum, index) => {
        const y = TOP + index * ROW + (ROW - BAR) / 2;
        return (
          <g key={`${index}-${datum.label}`}>
            <text
              className="chart__label"
              x={LABEL_WIDTH - 8}
              y={y + BAR / 2}
              dominantBaseline="middle"
              textAnchor="end"
            >
              {datum.label.length > 28 ? `${datum.label.slice(0, 27)}…` : datum.label}
            </text>
            <rect
              className="chart__bar"
              x={LABEL_WIDTH}
              y={y}
              width={Math.max(0, x(datum.value) - LABEL_WIDTH)}
              height={BAR}
            />
            <text className="chart__value" x={x(datum.value) + 6} y={y + BAR / 2} dominantBaseline="middle">
              {formatValue(datum.value)}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
