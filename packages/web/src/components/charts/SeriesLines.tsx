import { Group, Text } from '@mantine/core';

export interface LineSeries {
  id: string;
  name: string;
  /** One value per day of `days`; null where there is nothing to show (the line breaks there). */
  values: (number | null)[];
}

/**
 * Dark shades, each at least 3:1 against the white card, and a dash pattern of its own, so the
 * lines stay apart for people who do not tell the colours apart.
 */
const LINE_STYLES = [
  { color: 'var(--mantine-color-blue-8)', dash: undefined },
  { color: 'var(--mantine-color-orange-9)', dash: '8 4' },
  { color: 'var(--mantine-color-green-9)', dash: '2 3' },
  { color: 'var(--mantine-color-grape-8)', dash: '10 3 2 3' },
  { color: 'var(--mantine-color-red-9)', dash: '4 4' },
] as const;

const styleOf = (index: number) => LINE_STYLES[index % LINE_STYLES.length] as (typeof LINE_STYLES)[number];

/** The runs of consecutive days that have a value: each becomes one polyline. */
function runs(values: (number | null)[]): { index: number; value: number }[][] {
  const found: { index: number; value: number }[][] = [];
  let current: { index: number; value: number }[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      if (current.length > 0) found.push(current);
      current = [];
    } else {
      current.push({ index, value });
    }
  });
  if (current.length > 0) found.push(current);
  return found;
}

/**
 * A few series over the same days as an inline SVG: one line each, with a legend under it. Each
 * point carries its value in a title, for hover and screen readers; a lone day shows as a dot.
 */
export function SeriesLines({
  days,
  series,
  label,
  format,
  testId,
}: {
  days: string[];
  series: LineSeries[];
  label: string;
  format: (value: number) => string;
  testId: string;
}) {
  const width = 640;
  const height = 160;
  const pad = 6;
  const top = Math.max(0, ...series.flatMap((line) => line.values.map((value) => value ?? 0))) || 1;
  const step = (width - 2 * pad) / Math.max(days.length - 1, 1);
  const x = (index: number) => pad + index * step;
  const y = (value: number) => height - pad - (Math.max(value, 0) / top) * (height - 2 * pad);
  return (
    <div>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} width="100%" data-testid={testId}>
        <title>{label}</title>
        <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="var(--mantine-color-gray-5)" />
        {series.map((line, position) => {
          const { color, dash } = styleOf(position);
          return (
            <g key={line.id} data-testid={`${testId}-line`}>
              <title>{line.name}</title>
              {runs(line.values).map((run) =>
                run.length === 1 ? (
                  <circle key={run[0]?.index} cx={x(run[0]?.index ?? 0)} cy={y(run[0]?.value ?? 0)} r={3} fill={color}>
                    <title>{`${line.name}, ${days[run[0]?.index ?? 0]}: ${format(run[0]?.value ?? 0)}`}</title>
                  </circle>
                ) : (
                  <polyline
                    key={run[0]?.index}
                    points={run.map((point) => `${x(point.index)},${y(point.value)}`).join(' ')}
                    fill="none"
                    stroke={color}
                    strokeWidth={2}
                    strokeDasharray={dash}
                  >
                    <title>
                      {`${line.name}: ${run.map((point) => `${days[point.index]} ${format(point.value)}`).join(', ')}`}
                    </title>
                  </polyline>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <Group gap="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {series.map((line, position) => {
          const { color, dash } = styleOf(position);
          return (
            <Group key={line.id} gap={6} component="li" wrap="nowrap">
              <svg width={24} height={8} aria-hidden="true">
                <line x1={0} x2={24} y1={4} y2={4} stroke={color} strokeWidth={2} strokeDasharray={dash} />
              </svg>
              <Text size="sm">{line.name}</Text>
            </Group>
          );
        })}
      </Group>
    </div>
  );
}
