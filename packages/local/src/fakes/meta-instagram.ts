import { type Context, Hono } from 'hono';
import { authorize, fail, missingParameter } from './meta-http.js';
import { type FakeContext, sendMessaging } from './meta-send.js';
import { INSTAGRAM_SCOPES, issueToken } from './meta-state.js';

/**
 * Instagram Login's two hosts: api.instagram.com (code → short-lived token, its own error shape)
 * and graph.instagram.com (long-lived tokens, refresh, /me, subscriptions, sending).
 */

const SIXTY_DAYS = 60 * 24 * 3600;

/** api.instagram.com answers errors flat: `{ error_type, code, error_message }`. */
const oauthError = (c: Context, message: string) =>
  c.json({ error_type: 'OAuthException', code: 400, error_message: message }, 400);

export function instagramApiRoutes(ctx: FakeContext) {
  const { state } = ctx;
  const app = new Hono();
  app.post('/oauth/access_token', async (c) => {
    const form = await c.req.parseBody();
    if (form.client_id !== state.instagramAppId) return oauthError(c, 'Invalid platform app');
    if (form.client_secret !== state.instagramAppSecret) return oauthError(c, 'Error validating client secret.');
    if (form.grant_type !== 'authorization_code') return oauthError(c, 'Invalid grant_type');
    if (typeof form.redirect_uri !== 'string' || form.redirect_uri === '') return oauthError(c, 'Missing redirect_uri');
    const code = state.codes.get(String(form.code ?? ''));
    state.codes.delete(String(form.code ?? ''));
    if (code?.kind !== 'instagram' || code.expiresAtMs < Date.now()) {
      return oauthError(
        c,
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      );
    }
    const [userId = ''] = code.targets;
    const token = issueToken(state, {
      kind: 'instagram',
      targets: new Set(code.targets),
      scopes: INSTAGRAM_SCOPES,
      expiresIn: 3600,
    });
    return c.json({ data: [{ access_token: token, user_id: userId, permissions: INSTAGRAM_SCOPES.join(',') }] });
  });
  return app;
}

export function instagramGraphRoutes(ctx: FakeContext) {
  const { state } = ctx;
  const app = new Hono();

  app.get('/access_token', (c) => {
    if (c.req.query('grant_type') !== 'ig_exchange_token') return missingParameter('grant_type');
    if (c.req.query('client_secret') !== state.instagramAppSecret)
      return fail(400, 1, 'Error validating client secret.');
    const short = authorize(state, c);
    if (short.kind !== 'instagram') return fail(400, 190);
    const token = issueToken(state, {
      kind: 'instagram',
      targets: short.targets,
      scopes: short.scopes,
      expiresIn: SIXTY_DAYS,
    });
    return c.json({ access_token: token, token_type: 'bearer', expires_in: SIXTY_DAYS });
  });

  app.get('/refresh_access_token', (c) => {
    if (c.req.query('grant_type') !== 'ig_refresh_token') return missingParameter('grant_type');
    const current = authorize(state, c);
    if (current.kind !== 'instagram') return fail(400, 190);
    // Meta refreshes only tokens at least a day old; an expired one was refused by authorize.
    if (current.issuedAt * 1000 > Date.now() - 24 * 3600 * 1000) {
      return fail(400, 100, 'Token must be at least 24 hours old to be refreshed');
    }
    const token = issueToken(state, {
      kind: 'instagram',
      targets: current.targets,
      scopes: current.scopes,
      expiresIn: SIXTY_DAYS,
    });
    return c.json({ access_token: token, token_type: 'bearer', expires_in: SIXTY_DAYS });
  });

  const versioned = new Hono();
  versioned.get('/me', (c) => {
    const token = authorize(state, c);
    const [id = ''] = token.targets;
    const account = state.instagramAccounts.get(id) ?? fail(400, 190);
    // `id` is the app-scoped id; `user_id` is the professional account id webhooks carry.
    return c.json({ id: `2${id.slice(1)}`, user_id: account.id, username: account.username });
  });
  const subscription = (subscribe: boolean) => (c: Context) => {
    const id = c.req.param('id') as string;
    authorize(state, c, id);
    const account = state.instagramAccounts.get(id) ?? fail(400, 100, undefined, 33);
    const fields = c.req.query('subscribed_fields');
    if (subscribe && !fields) return missingParameter('subscribed_fields');
    account.subscribedFields = subscribe ? fields?.split(',') : undefined;
    return c.json({ success: true });
  };
  versioned.post('/:id/subscribed_apps', subscription(true));
  versioned.delete('/:id/subscribed_apps', subscription(false));
  versioned.post('/:id/messages', (c) => sendMessaging(ctx, c, c.req.param('id'), 'instagram'));
  app.route('/:version{v[0-9]+\\.[0-9]+}', versioned);
  return app;
}
