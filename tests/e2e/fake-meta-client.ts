import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { ApiClient } from './accounts-client.js';

/** The local stack's app secret: deliveries signed with it are Meta's, as far as the stack can tell. */
export const LOCAL_APP_SECRET = 'asistone-demo-app-secret';

/**
 * The fake Meta of a running local stack, through the gateway: its dev endpoints (`/dev/meta/*`:
 * dialogs, the customer's side, its state) and signed deliveries to the app's one Meta webhook,
 * as Meta posts them.
 */
export function fakeMetaClient(stackUrl: string) {
  return {
    async dev<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${stackUrl}/dev/meta${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} /dev/meta${path}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as T;
    },
    /** Posts `payload` to `/webhooks/meta`, signed with the app secret; answers the HTTP status. */
    async deliver(payload: unknown): Promise<number> {
      const body = Buffer.from(JSON.stringify(payload), 'utf8');
      const answer = await fetch(`${stackUrl}/webhooks/meta`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${createHmac('sha256', LOCAL_APP_SECRET).update(body).digest('hex')}`,
        },
        body: new Uint8Array(body),
      });
      return answer.status;
    },
  };
}

/**
 * Connects WhatsApp to the owner's business through the fake Meta's Embedded Signup, finished
 * without a browser (a new WABA and number, and a code for them), as the API sees it from the popup.
 */
export async function connectWhatsApp(
  api: ApiClient,
  owner: { accessToken: string; tenantId: string },
): Promise<{ wabaId: string; phoneNumberId: string }> {
  const { code, wabaId, phoneNumberId } = await fakeMetaClient(api.baseUrl).dev<{
    code: string;
    wabaId: string;
    phoneNumberId: string;
  }>('POST', '/dialog/embedded-signup/finish', {});
  const connected = await api.call('POST', `/businesses/${owner.tenantId}/channels/whatsapp`, {
    token: owner.accessToken,
    body: { code, wabaId, phoneNumberId },
  });
  expect(connected.status, JSON.stringify(connected.body)).toBe(201);
  return { wabaId, phoneNumberId };
}
