import { foldName } from '../inbox/conversations.js';

/**
 * Search terms the way Turkish customers write: "GÖMLEĞİM", "gomlegim", "gömlekler" and "Gömlek"
 * all become `gomlek`, so a message typed on a phone without Turkish letters still meets the
 * catalogue and the knowledge base written with them.
 *
 * 1. Lower case with Turkish rules (İ→i, I→ı), then fold the letters people leave out when
 *    typing fast (ı→i, ş→s, ç→c, ğ→g, ö→o, ü→u): the inbox's own folding (foldName).
 * 2. Split on anything that is not a letter or digit; drop filler words ("nerede", "mi", "my").
 * 3. Strip common inflectional suffixes (plural, possessive, case), longest first, a few
 *    times, never leaving a stem under 3 letters. After folding the vowel-harmony pairs
 *    (-ler/-lar, -im/-ım/-um/-üm) collapse, so the list stays short.
 * 4. Undo the consonant softening a vowel suffix causes at the stem end (gömleğ-im → gömlek,
 *    kitab-ım → kitap, ağaç/ağac-ı → agac): ğ/g→k, b→p, d→t.
 *
 * This is a stemmer for matching, not linguistics: the same function runs over the query and the
 * records, so a word it over-strips ("lale" → "lal") is over-stripped on both sides and still
 * meets. It never runs over personal data: products, order names and the merchant's knowledge.
 */

/** Suffixes as they read after folding, longest first (a longer one wins over its own tail). */
const SUFFIXES = [
  'lerimiz',
  'leriniz',
  'larimiz',
  'lariniz',
  'lerinde',
  'larinda',
  'lerini',
  'larini',
  'lerine',
  'larina',
  'lerden',
  'lardan',
  'lerim',
  'larim',
  'lerin',
  'larin',
  'leri',
  'lari',
  'ler',
  'lar',
  'imiz',
  'iniz',
  'umuz',
  'unuz',
  'inde',
  'inda',
  'unda',
  'unde',
  'nin',
  'nun',
  'den',
  'dan',
  'ten',
  'tan',
  'nde',
  'nda',
  'yla',
  'yle',
  'si',
  'su',
  'im',
  'in',
  'um',
  'un',
  'de',
  'da',
  'te',
  'ta',
  'ye',
  'ya',
  'yi',
  'yu',
  'i',
  'u',
  'e',
  'a',
] as const;

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const MIN_STEM = 3;
const MAX_STRIPS = 3;
const SOFTENED: Readonly<Record<string, string>> = { g: 'k', b: 'p', d: 't' };

/**
 * Words that say nothing about what is searched for (question words, "my", "is there"), in
 * Turkish and English, as they read after folding. Dropped before stemming.
 */
const FILLER = new Set([
  'nerede',
  'nerde',
  'ne',
  'neden',
  'nasil',
  'zaman',
  'kac',
  'var',
  'yok',
  'mi',
  'mu',
  'mis',
  'bir',
  've',
  'ile',
  'de',
  'da',
  'bu',
  'su',
  'o',
  'ben',
  'benim',
  'sen',
  'siz',
  'sizin',
  'icin',
  'gibi',
  'acaba',
  'lutfen',
  'kadar',
  'istiyorum',
  'hakkinda',
  'merhaba',
  'selam',
  'the',
  'a',
  'an',
  'is',
  'are',
  'my',
  'me',
  'i',
  'you',
  'your',
  'do',
  'does',
  'have',
  'where',
  'what',
  'when',
  'how',
  'of',
  'for',
  'to',
  'in',
  'on',
  'and',
  'or',
  'please',
  'much',
  'many',
  'there',
  'any',
  'can',
  'want',
  'hi',
  'hello',
]);

/** Folded: Turkish lower case, then without the diacritics people skip when typing. */
export function foldText(text: string): string {
  return foldName(text.normalize('NFC'));
}

function stem(word: string): string {
  // Numbers and codes (order #1042, SKU parts) are matched as written.
  if (/\d/.test(word)) return word;
  let current = word;
  for (let round = 0; round < MAX_STRIPS; round += 1) {
    let next = current;
    for (const suffix of SUFFIXES) {
      if (current.endsWith(suffix) && current.length - suffix.length >= MIN_STEM) {
        next = current.slice(0, -suffix.length);
        break;
      }
    }
    // A bare -m after a vowel is "my" (kargom, çantam): not part of the list above, where it
    // would eat the end of every word in -m.
    if (next === current && current.length > MIN_STEM && current.endsWith('m')) {
      const before = current.at(-2);
      if (before && VOWELS.has(before)) next = current.slice(0, -1);
    }
    if (next === current) break;
    current = next;
  }
  const last = current.at(-1) ?? '';
  const hard = SOFTENED[last];
  return hard ? current.slice(0, -1) + hard : current;
}

/** The terms of a text: folded, filler words out, stemmed, each once, in order of appearance. */
export function searchTokens(text: string): string[] {
  const words = foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
  const tokens: string[] = [];
  for (const word of words) {
    if (FILLER.has(word)) continue;
    // Single letters are noise ("b" of "LALE-B"); single digits may be a size or a quantity.
    if (word.length < 2 && !/\d/.test(word)) continue;
    const token = stem(word);
    if (!tokens.includes(token)) tokens.push(token);
  }
  return tokens;
}

/** A SKU or code compared as typed: folded, letters and digits only ("lale-b" = "LALE B" = "laleb"). */
export function compactCode(text: string): string {
  return foldText(text).replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * How well a record's terms answer the query's: 2 per query term the record has, 1 per query term
 * that begins one of the record's terms (at least 3 letters: "göml" finds "gömlek"). 0 = no match.
 */
export function matchScore(query: readonly string[], record: ReadonlySet<string> | readonly string[]): number {
  const terms = record instanceof Set ? record : new Set(record);
  let score = 0;
  for (const term of query) {
    if (terms.has(term)) score += 2;
    else if (term.length >= 3) {
      for (const candidate of terms) {
        if (candidate.startsWith(term)) {
          score += 1;
          break;
        }
      }
    }
  }
  return score;
}
