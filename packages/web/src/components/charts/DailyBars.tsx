/**
 * One series per day as an inline SVG: bars, with the day's value in a title for screen readers
 * and hover. No chart library: a handful of rectangles is all a daily report needs.
 */
export function DailyBars({
  days,
  values,
  label,
  format,
  testId,
}: {
  days: string[];
  values: number[];
  label: string;
  format: (value: number, index: number) => string;
  testId: string;
}) {
  const width = 640;
  const height = 140;
  const top = Math.max(...values, 0) || 1;
  const slot = width / Math.max(days.length, 1);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} width="100%" data-testid={testId}>
      <title>{label}</title>
      {values.map((value, index) => {
        const barHeight = (Math.max(value, 0) / top) * (height - 10);
        return (
          <rect
            key={days[index]}
            x={index * slot + 2}
            y={height - barHeight}
            width={Math.max(slot - 4, 1)}
            height={barHeight}
            fill="var(--mantine-color-blue-7)"
          >
            <title>{`${days[index]}: ${format(value, index)}`}</title>
          </rect>
        );
      })}
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--mantine-color-gray-5)" />
    </svg>
  );
}
