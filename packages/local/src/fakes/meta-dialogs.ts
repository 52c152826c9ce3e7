import { Hono } from 'hono';
import type { FakeContext } from './meta-send.js';
import {
  ADS_SCOPES,
  addAdAccount,
  addInstagramAccount,
  addPage,
  addWhatsAppAccount,
  FAKE_META_DEMO,
  newToken,
} from './meta-state.js';

/**
 * `/dev/meta/dialog/*`: stand-ins for Meta's login popups. Each page has a Connect button that
 * creates the accounts in the fake (or picks the demo ones with `?existing=demo`), issues a code
 * the API can exchange, and tells the opener the way Meta's popup does (postMessage), then closes.
 * `POST .../finish` does the same without a browser, for tests.
 */

/** Embedded Signup codes live 30 s at Meta; Facebook and Instagram Login codes a little longer. */
const CODE_TTL_MS = { business: 30_000, user: 60_000, instagram: 60_000 } as const;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function dialogPage(title: string, action: string, explanation: string) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} (fake Meta)</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1c1e21}
button{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem;border-radius:6px;border:1px solid #1877f2;background:#1877f2;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1877f2}</style></head>
<body data-action="${escapeHtml(action)}"><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(explanation)}</p>
<p><button id="connect" type="button">Connect</button><button id="cancel" class="secondary" type="button">Cancel</button></p>
<p id="result" role="status"></p></main>
<script type="module" src="/dev/meta/dialog/dialog.js"></script></body></html>`;
}

/**
 * The dialogs' script, a file of its own: the gateway's Content-Security-Policy allows no inline
 * script. It relays what the finish endpoint built to the opener (or redirects, Instagram-style).
 */
const DIALOG_SCRIPT = `
const params = new URLSearchParams(location.search);
const target = params.get('origin') || location.origin;
const action = document.body.dataset.action;
const tell = (message) => { if (window.opener) window.opener.postMessage(message, target); };
document.getElementById('connect').addEventListener('click', async () => {
  const answer = await fetch(location.pathname + '/finish', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ existing: params.get('existing') || undefined }),
  });
  const finished = await answer.json();
  for (const message of finished.messages) tell(message);
  const redirect = params.get('redirect_uri');
  if (!window.opener && redirect) {
    const url = new URL(redirect);
    url.searchParams.set('code', finished.code);
    if (params.get('state')) url.searchParams.set('state', params.get('state'));
    location.assign(url.toString());
    return;
  }
  document.getElementById('result').textContent = 'Connected. You can close this window.';
  setTimeout(() => window.close(), 300);
});
document.getElementById('cancel').addEventListener('click', () => {
  tell(action === 'embedded-signup'
    ? { type: 'WA_EMBEDDED_SIGNUP', event: 'CANCEL', data: { current_step: 'fake_dialog' } }
    : { type: 'ASISTONE_FAKE_LOGIN', provider: action.replace('-login', ''), cancelled: true });
  window.close();
});
`;

export function dialogRoutes(ctx: FakeContext) {
  const { state } = ctx;
  const app = new Hono();
  const code = (
    kind: 'business' | 'user' | 'instagram',
    targets: string[],
    extra: { pageIds?: string[]; scopes?: string[] } = {},
  ) => {
    const value = newToken('fakecode_');
    state.codes.set(value, {
      kind,
      targets,
      ...extra,
      expiresAtMs: Date.now() + CODE_TTL_MS[kind],
    });
    return value;
  };
  const existing = async (c: { req: { json(): Promise<unknown> } }) =>
    ((await c.req.json().catch(() => ({}))) as { existing?: string }).existing === 'demo';

  app.get('/dialog.js', (c) => c.body(DIALOG_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/embedded-signup', (c) =>
    c.html(dialogPage('WhatsApp Business', 'embedded-signup', 'Connects a WhatsApp Business number to Asistone.')),
  );
  app.post('/embedded-signup/finish', async (c) => {
    const demo = await existing(c);
    const { waba, phone } = demo
      ? addWhatsAppAccount(state, { wabaId: FAKE_META_DEMO.wabaId, phoneNumberId: FAKE_META_DEMO.phoneNumberId })
      : addWhatsAppAccount(state);
    const value = code('business', [waba.id, phone.id]);
    return c.json({
      code: value,
      wabaId: waba.id,
      phoneNumberId: phone.id,
      messages: [
        {
          type: 'WA_EMBEDDED_SIGNUP',
          event: 'FINISH',
          data: { phone_number_id: phone.id, waba_id: waba.id, business_id: '100000000000099' },
        },
        { type: 'ASISTONE_FAKE_LOGIN', provider: 'whatsapp', code: value },
      ],
    });
  });

  app.get('/facebook-login', (c) =>
    c.html(dialogPage('Facebook Login', 'facebook-login', 'Lets Asistone answer messages to your Facebook Pages.')),
  );
  app.post('/facebook-login/finish', async (c) => {
    const demo = await existing(c);
    const pages = demo
      ? [addPage(state, FAKE_META_DEMO.pageId)]
      : [addPage(state, undefined, `Mağaza Sayfası ${state.pages.size + 1}`)];
    const pageIds = pages.map((page) => page.id);
    const value = code('user', pageIds, { pageIds });
    return c.json({
      code: value,
      pageIds,
      messages: [{ type: 'ASISTONE_FAKE_LOGIN', provider: 'facebook', code: value }],
    });
  });

  app.get('/ads-login', (c) =>
    c.html(dialogPage('Facebook Login', 'ads-login', 'Lets Asistone read the results of your Meta ad accounts.')),
  );
  app.post('/ads-login/finish', async (c) => {
    const demo = await existing(c);
    const account = addAdAccount(state, demo ? { accountId: FAKE_META_DEMO.adAccountId } : {});
    // A user token's code: it reads only these ad accounts, with the ads login's scopes.
    const value = code('user', [account.accountId], { scopes: ADS_SCOPES });
    return c.json({
      code: value,
      adAccountIds: [account.accountId],
      messages: [{ type: 'ASISTONE_FAKE_LOGIN', provider: 'ads', code: value }],
    });
  });

  app.get('/instagram-login', (c) =>
    c.html(dialogPage('Instagram', 'instagram-login', 'Lets Asistone answer your Instagram messages.')),
  );
  app.post('/instagram-login/finish', async (c) => {
    const demo = await existing(c);
    const account = demo
      ? addInstagramAccount(state, FAKE_META_DEMO.instagramAccountId, 'demomagaza')
      : addInstagramAccount(state, undefined, `magaza${state.instagramAccounts.size + 1}`);
    const value = code('instagram', [account.id]);
    return c.json({
      code: value,
      instagramAccountId: account.id,
      messages: [{ type: 'ASISTONE_FAKE_LOGIN', provider: 'instagram', code: value }],
    });
  });

  return app;
}
