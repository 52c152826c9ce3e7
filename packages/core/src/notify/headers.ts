import { PermanentError } from '../platform/errors.js';
import type { OutgoingMail } from './mailer.js';

/**
 * Mail headers are lines: a CR or LF inside a subject or an address ends the header and lets
 * whoever chose the text add their own (`\r\nBcc: …`). Text from people (a business's name in
 * an invitation's subject) is checked where it comes in, but nothing is built into a header
 * on that promise alone: data stored before a rule, or a future caller, may still carry one.
 * These are the last checks before a mail leaves.
 */

/** C0 and C1 controls (CR, LF, TAB, NUL…), DEL, and the Unicode line and paragraph separators. */
const BREAK = '\\p{Cc}\\u2028\\u2029';
const BREAKS = new RegExp(`[\\s${BREAK}]*[${BREAK}][\\s${BREAK}]*`, 'gu');
const ANY_BREAK = new RegExp(`[${BREAK}]`, 'u');

/** A mail whose address would break its header: no sending can fix it (dead-letter queue). */
export class UnsafeMailHeaderError extends PermanentError {
  override name = 'UnsafeMailHeaderError';
}

/**
 * The text on one header line: each run of line breaks and control characters becomes one
 * space, so the words stay and no line ends.
 *
 * @example
 * headerText('Join Lale Butik\r\nBcc: x@example.com') // 'Join Lale Butik Bcc: x@example.com'
 */
export function headerText(text: string): string {
  return text.replace(BREAKS, ' ').trim();
}

/**
 * An address as given, or {@link UnsafeMailHeaderError}: an address with a line break is not
 * an address, and guessing which part was meant could mail a stranger. The error names the
 * field, never the address.
 */
export function headerAddress(address: string, field: string): string {
  if (ANY_BREAK.test(address)) {
    throw new UnsafeMailHeaderError(`the ${field} address holds a line break or control character`);
  }
  return address;
}

/** The mail with a header-safe subject and a checked recipient. */
export function withSafeHeaders(mail: OutgoingMail): OutgoingMail {
  return { ...mail, to: headerAddress(mail.to, 'to'), subject: headerText(mail.subject) };
}
