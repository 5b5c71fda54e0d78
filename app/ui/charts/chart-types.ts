interface ChartDatum {
  label: string;
  value: number;
}

/** What every chart takes: its texts, its data, and the headers of the data table beside it. */
export interface ChartProps {
  title: string;
  /** The chart's content in a sentence, for people who cannot see it. */
  description: string;
  series: readonly ChartDatum[];
  labelHeader: string;
  valueHeader: string;
  formatValue?: (value: number) => string;
}
