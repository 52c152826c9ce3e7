import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '@asistone/contract/accounts';
import type { Context } from 'hono';

/**
 * The language of the person calling, for the few answers written for them (a plan's limit, a
 * read-only business): the first of `Accept-Language` the product speaks (the web app sends the
 * one on screen), else Turkish. Other answers stay in English for the app to translate by code.
 */
export function callerLanguage(c: Context): Language {
  const header = c.req.header('accept-language') ?? '';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return {
        primary: tag.trim().toLowerCase().split('-')[0] ?? '',
        weight: Number.isFinite(weight) ? weight : 0,
        index,
      };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  const spoken = ranked.find((entry) => (LANGUAGES as readonly string[]).includes(entry.primary));
  return (spoken?.primary as Language | undefined) ?? DEFAULT_LANGUAGE;
}
