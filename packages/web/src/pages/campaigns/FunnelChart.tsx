import type { CampaignTimelineBucket } from '../../api/campaign-results';

/**
 * The funnel over time as an inline SVG: for each stage, how many recipients had reached it by
 * each minute (running totals), one line per stage. No chart library: a few paths are all it takes.
 */

export const FUNNEL_STAGES = ['sent', 'delivered', 'read', 'replied', 'failed'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** Mantine palette colours; dark enough on white for thin lines. */
export const STAGE_COLORS: Record<FunnelStage, string> = {
  sent: 'var(--mantine-color-gray-7)',
  delivered: 'var(--mantine-color-blue-7)',
  read: 'var(--mantine-color-teal-8)',
  replied: 'var(--mantine-color-grape-7)',
  failed: 'var(--mantine-color-red-8)',
};

const WIDTH = 640;
const HEIGHT = 200;
const PAD = 8;

export function FunnelChart({ buckets, label }: { buckets: CampaignTimelineBucket[]; label: string }) {
  if (buckets.length === 0) return null;
  const times = buckets.map((bucket) => Date.parse(bucket.at));
  const first = times[0] ?? 0;
  const span = Math.max((times[times.length - 1] ?? first) - first, 60_000);
  const totals = Object.fromEntries(
    FUNNEL_STAGES.map((stage) => {
      let sum = 0;
      return [stage, buckets.map((bucket) => (sum += bucket[stage]))];
    }),
  ) as Record<FunnelStage, number[]>;
  const top = Math.max(1, ...FUNNEL_STAGES.map((stage) => totals[stage][totals[stage].length - 1] ?? 0));
  const x = (at: number) => PAD + ((at - first) / span) * (WIDTH - 2 * PAD);
  const y = (value: number) => HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD);
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label={label}
      data-testid="campaign-funnel-chart"
      style={{ maxHeight: 240 }}
    >
      <line x1={PAD} y1={HEIGHT - PAD} x2={WIDTH - PAD} y2={HEIGHT - PAD} stroke="var(--mantine-color-gray-4)" />
      {FUNNEL_STAGES.map((stage) => {
        const values = totals[stage];
        if ((values[values.length - 1] ?? 0) === 0) return null;
        // A step line: a total holds until the next minute that changed it.
        const d = values
          .map((value, index) => {
            const at = x(times[index] ?? first);
            const previous = index === 0 ? 0 : (values[index - 1] ?? 0);
            return `${index === 0 ? `M${x(first)},${y(0)}` : ''} L${at},${y(previous)} L${at},${y(value)}`;
          })
          .join(' ');
        return <path key={stage} d={d} fill="none" stroke={STAGE_COLORS[stage]} strokeWidth={2} data-stage={stage} />;
      })}
    </svg>
  );
}
