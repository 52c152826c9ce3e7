import { headerText } from './headers.js';
import type { MailKind, OutgoingMail } from './mailer.js';

/**
 * Turns a mail's content into the mail: one subject, a plain-text part and an HTML part that
 * say the same, from the same strings. Every string is escaped in the HTML, so a name can
 * never become markup, and the subject is made header-safe.
 */
export interface MailContent {
  /** The language it is written in (`<html lang>`): `tr`, `en`. */
  language: string;
  subject: string;
  greeting?: string | undefined;
  paragraphs: string[];
  /** The one thing to do, as a link. */
  action?: { label: string; url: string } | undefined;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * @example
 * renderMail('password-reset', 'ayse@example.com', 'password-reset/h1', {
 *   language: 'en', subject: 'Reset your password', paragraphs: ['Follow the link.'],
 *   action: { label: 'Choose a new password', url },
 * });
 */
export function renderMail(kind: MailKind, to: string, idempotencyKey: string, content: MailContent): OutgoingMail {
  const subject = headerText(content.subject);
  const blocks = [...(content.greeting ? [content.greeting] : []), ...content.paragraphs];
  const { action } = content;
  const text = [...blocks, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n');
  const paragraphs = blocks.map((block) => `<p>${escapeHtml(block)}</p>`).join('\n');
  const button = action ? `\n<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>` : '';
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(content.language)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body>\n${paragraphs}${button}\n</body>`,
    '</html>',
  ].join('\n');
  return { kind, to, idempotencyKey, subject, text, html };
}
