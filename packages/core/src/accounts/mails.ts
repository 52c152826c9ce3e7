import type { OutgoingMail } from '../notify/mailer.js';

/** The mails people get from the accounts area. Plain text first; the HTML says the same. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function compose(
  kind: OutgoingMail['kind'],
  to: string,
  idempotencyKey: string,
  subject: string,
  lines: string[],
  action?: { label: string; url: string },
): OutgoingMail {
  const text = [...lines, ...(action ? ['', `${action.label}: ${action.url}`] : [])].join('\n');
  const paragraphs = lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('');
  const button = action ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>` : '';
  return {
    kind,
    to,
    idempotencyKey,
    subject,
    text,
    html: `<!doctype html><html><body>${paragraphs}${button}</body></html>`,
  };
}

export function verifyEmailMail(to: string, name: string, url: string, id: string): OutgoingMail {
  return compose(
    'verify-email',
    to,
    `verify-email/${id}`,
    'Confirm your email address for Asistone',
    [
      `Hello ${name},`,
      'Confirm your email address to finish creating your Asistone account.',
      'The link works for 24 hours.',
    ],
    { label: 'Confirm my email address', url },
  );
}

/** Sent when someone signs up with an address that already has an account. */
export function signUpNoticeMail(to: string, appUrl: string, id: string): OutgoingMail {
  return compose(
    'sign-up-notice',
    to,
    `sign-up-notice/${id}`,
    'You already have an Asistone account',
    [
      'Someone tried to create an Asistone account with this email address, which already has one.',
      'If it was you, sign in, or reset your password if you forgot it. Otherwise, ignore this mail.',
    ],
    { label: 'Sign in', url: `${appUrl}/login` },
  );
}

export function passwordResetMail(to: string, url: string, id: string): OutgoingMail {
  return compose(
    'password-reset',
    to,
    `password-reset/${id}`,
    'Reset your Asistone password',
    [
      'Follow the link to choose a new password. It works for one hour, once.',
      'Choosing a new password signs you out everywhere. If you did not ask for this, ignore this mail.',
    ],
    { label: 'Choose a new password', url },
  );
}

export function inviteMail(to: string, businessName: string, role: string, url: string, id: string): OutgoingMail {
  return compose(
    'invite',
    to,
    `invite/${id}`,
    `Join ${businessName} on Asistone`,
    [`You are invited to join ${businessName} on Asistone as ${role}.`, 'The invitation works for 7 days.'],
    { label: 'Accept the invitation', url },
  );
}
