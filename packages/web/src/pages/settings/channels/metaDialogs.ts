import type { MetaSetup } from '../../../api/channels';

/**
 * Meta's sign-in dialogs in a popup. On the local stack the dialogs are the fake Meta's pages
 * (their URLs come from `/channels/meta-setup`), which answer as Meta does: a `message` event to
 * the opener carrying the Embedded Signup session info (`WA_EMBEDDED_SIGNUP`) and, in the fake's
 * place of the SDK's callback, the code (`ASISTONE_FAKE_LOGIN`). In AWS, Meta's JS SDK opens the
 * dialog (`FB.login` with the Embedded Signup configuration) and Meta posts the session info
 * from https://www.facebook.com.
 */

export interface DialogResult {
  code: string;
  /**
   * Embedded Signup only: what the business picked in the flow; `coexistence` when it brought a
   * number already used in the WhatsApp Business app (`FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING`).
   */
  signup?: { wabaId: string; phoneNumberId: string; coexistence: boolean };
}

export class DialogError extends Error {
  constructor(readonly reason: 'blocked' | 'closed' | 'cancelled' | 'sdk') {
    super(`Meta dialog ${reason}`);
    this.name = 'DialogError';
  }
}

const META_ORIGINS = /^https:\/\/([a-z0-9-]+\.)*facebook\.com$/;
/** How long the person has to finish the flow before the page stops waiting. */
const GIVE_UP_MS = 10 * 60_000;

function parse(data: unknown): Record<string, unknown> | undefined {
  if (typeof data === 'string') {
    try {
      return parse(JSON.parse(data));
    } catch {
      return undefined;
    }
  }
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
}

/** Reads one `message` event; returns what it adds to the result, or a cancellation. */
function readMessage(data: unknown): Partial<DialogResult> | 'cancelled' | undefined {
  const message = parse(data);
  if (!message) return undefined;
  if (message.type === 'ASISTONE_FAKE_LOGIN' && typeof message.code === 'string') return { code: message.code };
  if (message.type === 'WA_EMBEDDED_SIGNUP') {
    const event = String(message.event ?? '');
    if (event === 'CANCEL' || event === 'ERROR') return 'cancelled';
    const info = parse(message.data);
    if (event.startsWith('FINISH') && info?.waba_id && info.phone_number_id) {
      return {
        signup: {
          wabaId: String(info.waba_id),
          phoneNumberId: String(info.phone_number_id),
          coexistence: event === 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING',
        },
      };
    }
  }
  return undefined;
}

/**
 * Opens `url` in a popup and resolves once it has sent the code (and, when `signup`, the
 * Embedded Signup session info). Must be called from the click itself, or the browser blocks
 * the popup.
 */
export function openDialog(
  url: string,
  options: { signup: boolean; params?: Record<string, string> },
): Promise<DialogResult> {
  const target = new URL(url, window.location.href);
  target.searchParams.set('state', crypto.randomUUID());
  for (const [name, value] of Object.entries(options.params ?? {})) target.searchParams.set(name, value);
  const popup = window.open(target.toString(), 'asistone-meta', 'popup,width=600,height=720');
  if (!popup) return Promise.reject(new DialogError('blocked'));
  const allowed = new Set([window.location.origin, target.origin]);
  return new Promise<DialogResult>((resolve, reject) => {
    const result: Partial<DialogResult> = {};
    const finish = (error?: DialogError) => {
      window.removeEventListener('message', onMessage);
      clearInterval(watch);
      clearTimeout(giveUp);
      if (error) reject(error);
      else resolve(result as DialogResult);
    };
    const onMessage = (event: MessageEvent) => {
      if (!allowed.has(event.origin) && !META_ORIGINS.test(event.origin)) return;
      const read = readMessage(event.data);
      if (read === 'cancelled') return finish(new DialogError('cancelled'));
      if (!read) return;
      Object.assign(result, read);
      if (result.code && (!options.signup || result.signup)) finish();
    };
    // The popup closing first: its last messages may still be queued, so look once more shortly after.
    const watch = setInterval(() => {
      if (popup.closed) {
        clearInterval(watch);
        setTimeout(() => finish(new DialogError('closed')), 1_000);
      }
    }, 500);
    const giveUp = setTimeout(() => finish(new DialogError('closed')), GIVE_UP_MS);
    window.addEventListener('message', onMessage);
  });
}

interface FacebookSdk {
  init(options: Record<string, unknown>): void;
  login(
    callback: (response: { authResponse?: { code?: string } | null }) => void,
    options: Record<string, unknown>,
  ): void;
}

let sdk: Promise<FacebookSdk> | undefined;

/** Meta's JS SDK, loaded once, on first use (AWS only). */
function facebookSdk(setup: Pick<MetaSetup, 'appId' | 'graphVersion'>): Promise<FacebookSdk> {
  sdk ??= new Promise<FacebookSdk>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://connect.facebook.net/en_US/sdk.js';
    script.async = true;
    script.crossOrigin = 'anonymous';
    script.onload = () => {
      const FB = (window as unknown as { FB?: FacebookSdk }).FB;
      if (!FB) return reject(new DialogError('sdk'));
      FB.init({ appId: setup.appId, autoLogAppEvents: true, xfbml: false, version: setup.graphVersion ?? 'v25.0' });
      resolve(FB);
    };
    script.onerror = () => reject(new DialogError('sdk'));
    document.head.append(script);
  });
  return sdk;
}

/** Facebook Login for one permission (`ads_read`) through Meta's SDK: the code the API exchanges. */
export async function facebookLoginWithSdk(
  setup: Pick<MetaSetup, 'appId' | 'graphVersion'>,
  scope: string,
): Promise<string> {
  const FB = await facebookSdk(setup);
  return new Promise<string>((resolve, reject) => {
    FB.login(
      (response) => {
        const code = response.authResponse?.code;
        if (code) resolve(code);
        else reject(new DialogError('cancelled'));
      },
      { scope, response_type: 'code', override_default_response_type: true },
    );
  });
}

/** WhatsApp Embedded Signup (v4) through Meta's SDK: the code from `FB.login`, the ids from Meta's message. */
export async function embeddedSignupWithSdk(setup: MetaSetup): Promise<DialogResult> {
  const FB = await facebookSdk(setup);
  return new Promise<DialogResult>((resolve, reject) => {
    const result: Partial<DialogResult> = {};
    let code: string | undefined;
    const done = () => {
      if (code && result.signup) {
        window.removeEventListener('message', onMessage);
        resolve({ code, signup: result.signup });
      }
    };
    const onMessage = (event: MessageEvent) => {
      if (!META_ORIGINS.test(event.origin)) return;
      const read = readMessage(event.data);
      if (read === 'cancelled') {
        window.removeEventListener('message', onMessage);
        return reject(new DialogError('cancelled'));
      }
      if (read?.signup) result.signup = read.signup;
      done();
    };
    window.addEventListener('message', onMessage);
    FB.login(
      (response) => {
        code = response.authResponse?.code ?? undefined;
        if (!code) {
          window.removeEventListener('message', onMessage);
          return reject(new DialogError('cancelled'));
        }
        done();
      },
      {
        config_id: setup.embeddedSignupConfigId,
        response_type: 'code',
        override_default_response_type: true,
        extras: { setup: {}, featureType: '', sessionInfoVersion: '3' },
      },
    );
  });
}
