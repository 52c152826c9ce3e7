import type { CampaignTemplate, VariableSource } from '@asistone/contract/campaigns';

/**
 * The text each of a template's body variables takes for one recipient. The same function fills
 * the preview and the send, so what the merchant previews is what the customer receives.
 */

/** What a recipient brings to the template, opened (the contact's name, the list row's columns). */
export interface RecipientFields {
  /** The contact's name as the inbox knows it. */
  name?: string | undefined;
  /** The uploaded file's other columns on the contact's row, by header. */
  columns?: Readonly<Record<string, string>> | undefined;
}

/** WhatsApp refuses a parameter with a newline, a tab or more than four spaces in a row (132000 family). */
function parameterText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {4,}/g, '   ')
    .trim();
}

/** Up to the first space: "Ayşe Yılmaz" → "Ayşe". */
const firstNameOf = (name: string) => name.trim().split(/\s+/)[0] ?? '';

function textFor(source: VariableSource, fields: RecipientFields): string {
  if (source.source === 'fixed') return source.text;
  const found =
    source.source === 'contact'
      ? source.field === 'firstName'
        ? firstNameOf(fields.name ?? '')
        : (fields.name ?? '')
      : (fields.columns?.[source.column] ?? '');
  const text = parameterText(found);
  return text === '' ? source.fallback : text;
}

/**
 * The body parameters, in order. A variable whose value is empty takes its fallback; one still
 * empty is refused here rather than by WhatsApp (an empty parameter fails the send with 132000),
 * so the caller can fail that recipient with a reason of its own.
 */
export function bodyParameters(template: Pick<CampaignTemplate, 'variables'>, fields: RecipientFields): string[] {
  return template.variables.map((source, index) => {
    const value = parameterText(textFor(source, fields));
    if (value === '') throw new EmptyVariableError(index + 1);
    return value;
  });
}

/** The template's body text with `{{n}}` replaced: the preview a merchant reads. */
export function renderBody(bodyText: string, parameters: readonly string[]): string {
  return bodyText.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => parameters[Number(n) - 1] ?? whole);
}

/** How many distinct `{{n}}` variables a template body has (WhatsApp numbers them from 1). */
export function variableCountOf(bodyText: string): number {
  let highest = 0;
  for (const match of bodyText.matchAll(/\{\{(\d+)\}\}/g)) highest = Math.max(highest, Number(match[1]));
  return highest;
}

export class EmptyVariableError extends Error {
  override name = 'EmptyVariableError';
  constructor(readonly variable: number) {
    super(`Variable {{${variable}}} has no value and no fallback`);
  }
}
