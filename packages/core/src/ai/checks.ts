import type { AgentGuardrails } from '@asistone/contract/ai';

/**
 * The checks every draft passes before it reaches a customer: guardrails held in code, not
 * only asked for in the prompt. A draft that fails any of them is not sent; the conversation is
 * handed to a person with the failed check as the reason (agent.ts).
 */

export type CheckFailure =
  | 'too-long'
  | 'foreign-link'
  | 'unsupported-amount'
  | 'discount-over-limit'
  | 'delivery-promise'
  | 'language-not-allowed'
  | 'empty';

export interface DraftContext {
  guardrails: Pick<AgentGuardrails, 'maxReplyChars' | 'maxDiscountPercent' | 'mayPromiseDelivery' | 'languages'>;
  /** The store's own domains (the shop's myshopify domain, its primary domain). */
  storeDomains: readonly string[];
  /** What the tools returned that the answer may rest on (their JSON), found records only. */
  evidence: readonly string[];
}

export type CheckResult = { ok: true } | { ok: false; failure: CheckFailure; detail: string };

const URL_PATTERN =
  /\b(?:https?:\/\/[^\s<>"')\]]+|www\.[^\s<>"')\]]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|shop|store|co|io|me|app|link|ly|info|biz|tr)(?:\.tr)?(?:\/[^\s<>"')\]]*)?)/gi;

/** Hosts and links in a text, trailing punctuation trimmed ("…/abc." at a sentence's end). */
export function linksIn(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((m) => m[0].replace(/[.,;:!?]+$/, ''));
}

function hostOf(link: string): string {
  const withScheme = /^https?:\/\//i.test(link) ? link : `https://${link}`;
  try {
    return new URL(withScheme).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return link.toLowerCase();
  }
}

/**
 * A link may point at the store (its domains and their subdomains) or be one the data holds
 * word for word (a tracking link on the customer's order): anything else could send a customer
 * anywhere.
 */
function foreignLink(draft: string, context: DraftContext): string | undefined {
  const domains = context.storeDomains.map((domain) => domain.toLowerCase().replace(/^www\./, ''));
  const evidence = context.evidence.join('\n');
  for (const link of linksIn(draft)) {
    const host = hostOf(link);
    if (domains.some((domain) => host === domain || host.endsWith(`.${domain}`))) continue;
    if (/^https?:\/\//i.test(link) && evidence.includes(link)) continue;
    return host;
  }
  return undefined;
}

const CURRENCY = String.raw`(?:₺|TL|TRY|USD|EUR|GBP|\$|€|£|lira)`;
const NUMBER = String.raw`\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const AMOUNT_PATTERN = new RegExp(
  String.raw`(?:${CURRENCY}\s?(${NUMBER}))|(?:(${NUMBER})\s?${CURRENCY}(?![a-zçğıöşü]))`,
  'giu',
);

/**
 * A written amount as a number, whichever convention it uses: "1.299,90" (Turkish), "1,299.90"
 * (English), "1299.90", "1299,9", "1 299". A separator followed by exactly three digits at the
 * end groups thousands; one or two digits are decimals.
 */
export function amountValue(written: string): number | undefined {
  const compact = written.replace(/\s/g, '');
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole)) return undefined;
  return Number(`${whole}.${decimal?.[1] ?? '0'}`);
}

/** Every amount the data holds (prices, totals), as numbers: any number-like token in the tools' JSON. */
function amountsIn(evidence: readonly string[]): Set<number> {
  const values = new Set<number>();
  for (const text of evidence) {
    for (const match of text.matchAll(/\d+(?:[.,]\d+)*/g)) {
      const value = amountValue(match[0]);
      if (value !== undefined) values.add(Math.round(value * 100));
      // "1299.9" in JSON also reads as 1299.90; a plain number with a dot is its decimal value.
      const plain = Number(match[0]);
      if (Number.isFinite(plain)) values.add(Math.round(plain * 100));
    }
  }
  return values;
}

function unsupportedAmount(draft: string, context: DraftContext): string | undefined {
  const known = amountsIn(context.evidence);
  for (const match of draft.matchAll(AMOUNT_PATTERN)) {
    const written = (match[1] ?? match[2] ?? '').trim();
    const value = amountValue(written);
    if (value === undefined) continue;
    if (!known.has(Math.round(value * 100))) return written;
  }
  return undefined;
}

const DISCOUNT_WORDS = /(indirim|iskonto|kupon|discount|coupon|off\b)/i;
const PERCENT = /(?:%\s?(\d{1,3})|(\d{1,3})\s?%|(\d{1,3})\s?(?:yüzde|percent))/giu;
const TR_PERCENT = /yüzde\s?(\d{1,3})/giu;

/** A discount above the business's limit; with a limit of 0, any discount offered at all. */
function discountOverLimit(draft: string, limit: number): string | undefined {
  for (const sentence of draft.split(/(?<=[.!?\n])/)) {
    if (!DISCOUNT_WORDS.test(sentence)) continue;
    const percents = [...sentence.matchAll(PERCENT), ...sentence.matchAll(TR_PERCENT)]
      .map((m) => Number(m[1] ?? m[2] ?? m[3]))
      .filter((n) => Number.isFinite(n));
    if (percents.some((p) => p > limit)) return `${Math.max(...percents)}%`;
    if (
      limit === 0 &&
      /(indirim|iskonto|discount|kupon|coupon)\s*(yap|tanımla|veri|ver|kodu|code|of)/i.test(sentence)
    ) {
      return 'discount';
    }
  }
  return undefined;
}

/**
 * Promises about delivery the agent cannot keep: a date, "tomorrow", a guarantee. The business
 * may allow them (its carrier's terms are in its knowledge base); otherwise the agent states
 * what the data says (status, tracking link) and promises nothing.
 */
const DELIVERY_PROMISE = [
  /\b(yarın|bugün|pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar)\w*\s+(?:\S+\s+){0,2}(elinizde|teslim|kapınızda|gelir|gelecek|ulaşır|ulaşacak)/iu,
  /\b(garanti\w*|söz\s+veri\w*)/iu,
  /\bkesinlikle\s+(?:\S+\s+){0,2}(gelir|gelecek|ulaşır|ulaşacak|teslim)/iu,
  /\b(guarantee\w*|promise\w*)\b/i,
  /\b(will|'ll)\s+(definitely\s+|surely\s+)?(arrive|be delivered|reach you|get to you)\s+(by|on|tomorrow|today|within|in)\b/i,
  /\b(arrives?|delivered)\s+(by\s+)?(tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i,
];

/** The language a text is written in, when it is clear: Turkish letters and words, or English words. */
export function languageOf(text: string): 'tr' | 'en' | undefined {
  const lower = text.toLocaleLowerCase('tr');
  const turkish =
    (lower.match(/[çğıöşü]/g)?.length ?? 0) +
    2 *
      (lower.match(
        /\b(ve|bir|bu|için|ile|siparişiniz|sipariş|merhaba|teşekkür\w*|lütfen|kargo\w*|var|yok|mı|mi|nedir|nerede|değil|olarak|size|sizin)\b/g,
      )?.length ?? 0);
  const english =
    2 *
    (lower.match(
      /\b(the|and|your|you|is|are|order|hello|hi|thanks|thank|please|where|what|with|for|of|it|this|will|have)\b/g,
    )?.length ?? 0);
  if (turkish === 0 && english === 0) return undefined;
  if (turkish > english) return 'tr';
  if (english > turkish) return 'en';
  return undefined;
}

/**
 * Every check the draft fails, in the order the checks run (the first of each kind: one link,
 * one amount, ...): the agent sends nothing when there is any, a reviewer of a content draft
 * sees them all.
 */
export function draftFailures(draft: string, context: DraftContext): { failure: CheckFailure; detail: string }[] {
  const text = draft.trim();
  if (!text) return [{ failure: 'empty', detail: 'empty answer' }];
  const failures: { failure: CheckFailure; detail: string }[] = [];
  const fail = (failure: CheckFailure, detail: string | undefined) => {
    if (detail !== undefined) failures.push({ failure, detail });
  };
  const max = context.guardrails.maxReplyChars;
  fail('too-long', text.length > max ? `${text.length} > ${max} characters` : undefined);
  fail('foreign-link', foreignLink(text, context));
  fail('unsupported-amount', unsupportedAmount(text, context));
  fail('discount-over-limit', discountOverLimit(text, context.guardrails.maxDiscountPercent));
  if (!context.guardrails.mayPromiseDelivery) {
    const evidence = context.evidence.join('\n').toLocaleLowerCase('tr');
    // Quoting the business's own words (its shipping entry) is what it allowed by writing them.
    const promise = DELIVERY_PROMISE.map((pattern) => pattern.exec(text)?.[0]).find(
      (found) => found !== undefined && !evidence.includes(found.toLocaleLowerCase('tr')),
    );
    fail('delivery-promise', promise);
  }
  const language = languageOf(text);
  fail('language-not-allowed', language && !context.guardrails.languages.includes(language) ? language : undefined);
  return failures;
}

export function checkDraft(draft: string, context: DraftContext): CheckResult {
  const [first] = draftFailures(draft, context);
  return first ? { ok: false, ...first } : { ok: true };
}

/** Triggers in the customer's own words that send the conversation to a person before any model call. */
const PERSON_REQUEST =
  /(yetkili|temsilci|canlı\s*destek|gerçek\s*(bir\s*)?(kişi|insan)|insanla|biriyle\s+görüş|operatör|müşteri\s*hizmetleri|talk\s+to\s+(a\s+)?(human|person|someone|agent|representative)|real\s+(person|human)|human\s+agent|speak\s+(to|with)\s+(a\s+)?(human|person|someone|manager))/iu;
const ANGER =
  /(rezalet|berbat|saçmalık|dolandırıcı|şikayet\w*|tüketici\s*hakem|avukat|kabul\s*edilemez|yeter\s*artık|terrible|awful|scam|ridiculous|unacceptable|worst|furious|fraud|lawyer|sue\b)/iu;

export type CustomerTrigger = 'person-requested' | 'anger' | 'sensitive-topic' | 'forbidden-topic';

/** Folds a text for topic matching: Turkish lower case, then diacritics removed ("Şikâyet" → "sikayet"). */
function fold(text: string): string {
  return text
    .toLocaleLowerCase('tr')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '');
}

export function customerTrigger(
  text: string,
  handoff: Pick<AgentGuardrails['handoff'], 'onRequestForPerson' | 'onAnger' | 'onSensitiveTopics'>,
  forbiddenTopics: readonly string[],
): CustomerTrigger | undefined {
  if (handoff.onRequestForPerson && PERSON_REQUEST.test(text)) return 'person-requested';
  if (handoff.onAnger) {
    const letters = text.replace(/[^\p{L}]/gu, '');
    const shouting = letters.length >= 12 && letters === letters.toLocaleUpperCase('tr');
    if (ANGER.test(text) || shouting || /!{3,}/.test(text)) return 'anger';
  }
  const folded = fold(text);
  if (handoff.onSensitiveTopics.some((topic) => topic.trim() && folded.includes(fold(topic.trim())))) {
    return 'sensitive-topic';
  }
  if (forbiddenTopics.some((topic) => topic.trim() && folded.includes(fold(topic.trim())))) return 'forbidden-topic';
  return undefined;
}
