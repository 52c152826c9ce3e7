import type { Membership } from '../api/types';

const KEY = 'asistone.lastBusiness';

export function rememberBusiness(tenantId: string) {
  try {
    localStorage.setItem(KEY, tenantId);
  } catch {
    // Only a convenience.
  }
}

/** The business to open after sign-in: the last one used if still a member, else the first. */
export function pickBusiness(businesses: readonly Membership[]): Membership | undefined {
  let last: string | null = null;
  try {
    last = localStorage.getItem(KEY);
  } catch {
    last = null;
  }
  return businesses.find((b) => b.tenantId === last) ?? businesses[0];
}

/** Only same-app paths may be used as a `next` target after sign-in. */
export function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}
