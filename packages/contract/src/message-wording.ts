import * as z from 'zod';

/**
 * The wording a business writes for messages its customers get on the business's initiative
 * (order notices, cart reminders): an email subject and a text (the email's body and the SMS),
 * with `{{placeholder}}`s from a fixed list, and the approved WhatsApp template with the
 * placeholder that fills each of its variables. One definition, so both kinds of message refuse
 * the same mistakes the same way.
 */
export function messageWording<const P extends readonly [string, ...string[]]>(placeholders: P) {
  type Placeholder = P[number];
  const pattern = () => /\{\{\s*([a-z_]+)\s*\}\}/g;
  const known = (name: string | undefined) => (placeholders as readonly string[]).includes(name ?? '');
  const text = (max: number) =>
    z
      .string()
      .trim()
      .max(max)
      .refine((value) => [...value.matchAll(pattern())].every((match) => known(match[1])), {
        message: `Use only these placeholders: ${placeholders.map((name) => `{{${name}}}`).join(', ')}`,
      });
  const wording = z.object({
    subject: text(150).pipe(z.string().min(1, 'Enter a subject')),
    text: text(600).pipe(z.string().min(1, 'Enter the message')),
  });
  const template = z.object({
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,512}$/, 'A template name is lower-case letters, digits and _'),
    language: z
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'A template language looks like tr or en_US'),
    variables: z.array(z.enum(placeholders)).max(10),
  });
  /** The text with its placeholders filled; a value missing leaves the placeholder empty rather than braces. */
  const render = (value: string, values: Partial<Record<Placeholder, string>>) =>
    value.replace(pattern(), (_match, name: string) => values[name as Placeholder] ?? '');
  return { wording, template, render };
}
