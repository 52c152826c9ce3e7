/**
 * What Lambda's and SQS's own metrics say in AWS, recorded by the local runtime as it runs the
 * handlers: each invocation's function, duration and whether it failed (threw or timed out, as
 * Lambda's `Errors` counts), and the age of each message a poller receives (SQS's
 * `ApproximateAgeOfOldestMessage`, seen at receive). The local alarm watch reads them.
 */
export interface Invocation {
  fn: string;
  /** When it ended, epoch ms. */
  at: number;
  ms: number;
  failed: boolean;
}

export interface MessageAge {
  queue: string;
  /** When it was received, epoch ms. */
  at: number;
  seconds: number;
}

/** The longest window an alarm looks back (3 periods of 5 minutes). */
const KEPT_MS = 15 * 60_000;
/** A bound on memory under a load test: older entries go first. */
const MOST = 20_000;

const invocations: Invocation[] = [];
const ages: MessageAge[] = [];

function keep<T extends { at: number }>(list: T[], entry: T): void {
  list.push(entry);
  const oldest = entry.at - KEPT_MS;
  let drop = 0;
  while (drop < list.length && ((list[drop] as T).at < oldest || list.length - drop > MOST)) drop++;
  if (drop > 0) list.splice(0, drop);
}

export function recordInvocation(invocation: Invocation): void {
  keep(invocations, invocation);
}

export function recordMessageAge(age: MessageAge): void {
  keep(ages, age);
}

/** What the runtime recorded, for the alarm watch (the last 15 minutes at most). */
export const recorded = {
  invocations: (): readonly Invocation[] => invocations,
  messageAges: (): readonly MessageAge[] => ages,
};
