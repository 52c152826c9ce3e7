import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { FakeAdAccount, FakeMedia, FakeMetaState, FakeReportRun, FakeToken } from './meta-state.js';

/**
 * Keeps the fake Meta's accounts (ad accounts among them), tokens, media, threads and report runs in the local data folder, so a
 * channel connected through the fake dialogs still works after `npm start` restarts (its sealed
 * token would otherwise be one the fake no longer knows). Failures and request logs are not kept.
 */

interface Saved {
  wabas: [string, unknown][];
  phoneNumbers: [string, unknown][];
  pages: [string, unknown][];
  instagramAccounts: [string, unknown][];
  tokens: [string, Omit<FakeToken, 'targets'> & { targets: string[] }][];
  media: [string, { bytes: string } & Record<string, unknown>][];
  messages: unknown[];
  /** Absent from files kept before ad accounts existed. */
  adAccounts?: [string, FakeAdAccount][];
  adReports?: [string, FakeReportRun][];
}

function snapshot(state: FakeMetaState): string {
  const saved: Saved = {
    wabas: [...state.wabas],
    phoneNumbers: [...state.phoneNumbers],
    pages: [...state.pages],
    instagramAccounts: [...state.instagramAccounts],
    tokens: [...state.tokens].map(([value, token]) => [value, { ...token, targets: [...token.targets] }]),
    media: [...state.media].map(([id, media]) => [id, { ...media, bytes: media.bytes.toString('base64') }]),
    messages: state.messages,
    adAccounts: [...state.adAccounts],
    adReports: [...state.ads.reports],
  };
  return JSON.stringify(saved);
}

/** Loads what an earlier run kept into `state` (the seed stays: the demo accounts are the same). */
export function restoreFakeMeta(state: FakeMetaState, file: string): void {
  if (!existsSync(file)) return;
  let saved: Saved;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Saved;
  } catch {
    return; // a half-written file from a crash: start from the seed
  }
  for (const [id, waba] of saved.wabas) state.wabas.set(id, waba as never);
  for (const [id, phone] of saved.phoneNumbers) state.phoneNumbers.set(id, phone as never);
  for (const [id, page] of saved.pages) state.pages.set(id, page as never);
  for (const [id, account] of saved.instagramAccounts) state.instagramAccounts.set(id, account as never);
  for (const [value, token] of saved.tokens) state.tokens.set(value, { ...token, targets: new Set(token.targets) });
  for (const [id, media] of saved.media)
    state.media.set(id, { ...(media as unknown as FakeMedia), bytes: Buffer.from(media.bytes, 'base64') });
  state.messages.push(...(saved.messages as never[]));
  for (const [id, account] of saved.adAccounts ?? []) state.adAccounts.set(id, account);
  for (const [id, run] of saved.adReports ?? []) state.ads.reports.set(id, run);
}

/** Writes the state every 3 seconds when it changed, and once more on `flush()`. */
export function persistFakeMeta(state: FakeMetaState, file: string) {
  let last = snapshot(state);
  const save = async () => {
    const next = snapshot(state);
    if (next === last) return;
    last = next;
    await writeFile(`${file}.tmp`, next, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  };
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    writing = writing.then(save).catch(() => undefined);
  }, 3000);
  timer.unref();
  return {
    async flush() {
      clearInterval(timer);
      await writing;
      await save().catch(() => undefined);
    },
  };
}
