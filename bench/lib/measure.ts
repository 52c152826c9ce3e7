/**
 * Throughput measurement that survives a noisy 2-core machine: the subject and its floor run
 * in alternating rounds (so a burst of load hits both), and the ratio is the median of the
 * per-round ratios rather than a ratio of two separately measured numbers.
 */
import { check, type GoalCheck, ratioGoal } from './report.js';

/** One unit of work. If it returns a promise, each call is awaited before the next. */
export type Operation = () => unknown;

export interface MeasureOptions {
  /** Measured rounds per operation (after one warm-up round each). */
  rounds: number;
  /** Wall time of one round of one operation. */
  roundMs: number;
}

export interface Throughput {
  /** Median operations per second over the rounds. */
  opsPerSecond: number;
  /** Median time per operation, in microseconds. */
  microsPerOp: number;
  /** Operations per second of each round, in order. */
  rounds: number[];
}

export interface Comparison {
  subject: Throughput;
  floor: Throughput;
  /** Median over rounds of subject ops/s ÷ floor ops/s: 1 means as fast as the floor. */
  speedRatio: number;
  /** Median over rounds of subject time per op ÷ floor time per op: 1 means as fast as the floor. */
  timeRatio: number;
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

// Keeps results reachable so no call can be optimised away.
let retained: unknown;

/** Runs `operation` for about `ms` and returns its operations per second. */
async function round(operation: Operation, awaitEach: boolean, ms: number): Promise<number> {
  let done = 0;
  let batch = 1;
  let elapsed = 0;
  const start = performance.now();
  while (elapsed < ms) {
    // Batches grow until a clock read is a negligible share of the work it times.
    if (awaitEach) for (let i = 0; i < batch; i++) retained = await operation();
    else for (let i = 0; i < batch; i++) retained = operation();
    done += batch;
    elapsed = performance.now() - start;
    if (elapsed < ms / 50) batch *= 2;
  }
  return (done * 1000) / elapsed;
}

async function isAsync(operation: Operation): Promise<boolean> {
  const first = operation();
  if (first instanceof Promise) {
    await first;
    return true;
  }
  return false;
}

function summarise(rounds: number[]): Throughput {
  const opsPerSecond = median(rounds);
  return { opsPerSecond, microsPerOp: 1e6 / opsPerSecond, rounds };
}

/**
 * Measures `subject` against `floor` in alternating rounds.
 *
 * @example
 * const { speedRatio } = await compare(() => sealField(key, text, context), () => rawSeal(text), { rounds: 7, roundMs: 100 });
 */
export async function compare(subject: Operation, floor: Operation, options: MeasureOptions): Promise<Comparison> {
  const subjectAsync = await isAsync(subject);
  const floorAsync = await isAsync(floor);
  await round(subject, subjectAsync, options.roundMs);
  await round(floor, floorAsync, options.roundMs);

  const subjectRounds: number[] = [];
  const floorRounds: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    // Alternating who goes first cancels out any warm-cache advantage of the second runner.
    if (i % 2 === 0) {
      subjectRounds.push(await round(subject, subjectAsync, options.roundMs));
      floorRounds.push(await round(floor, floorAsync, options.roundMs));
    } else {
      floorRounds.push(await round(floor, floorAsync, options.roundMs));
      subjectRounds.push(await round(subject, subjectAsync, options.roundMs));
    }
  }
  const speedRatio = median(subjectRounds.map((ops, i) => ops / floorRounds[i]!));
  const timeRatio = median(subjectRounds.map((ops, i) => floorRounds[i]! / ops));
  void retained;
  return { subject: summarise(subjectRounds), floor: summarise(floorRounds), speedRatio, timeRatio };
}

export type { GoalCheck } from './report.js';

/** `ratio` at least `limit` times the floor's `what` (for speeds: bigger is better). */
export const atLeast = (ratio: number, limit: number, what: string): GoalCheck =>
  check(ratioGoal('≥', limit, `floor ${what}`), { ratio });

/** `ratio` at most `limit` times the floor's `what` (for times: smaller is better). */
export const atMost = (ratio: number, limit: number, what: string): GoalCheck =>
  check(ratioGoal('≤', limit, `floor ${what}`), { ratio });
