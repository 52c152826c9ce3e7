import { type Context, Hono } from 'hono';
import { authorize, fail, missingParameter } from './meta-http.js';
import { type FakeContext, sendMessaging, sendWhatsApp } from './meta-send.js';
import { issueToken, PAGE_SCOPES, WHATSAPP_SCOPES } from './meta-state.js';

/**
 * graph.facebook.com/{version}: code exchange, debug_token, subscribed_apps, number registration,
 * the number's profile, media, templates, a user's Pages, and sending (meta-send.ts).
 */

const SIXTY_DAYS = 60 * 24 * 3600;

/**
 * Cursor-paged `data`, as Graph pages lists (`limit`, `after`, `paging.cursors`, `paging.next`);
 * `max` is the largest page the edge allows (insights: 500).
 */
export function paged<T>(c: { req: { query(name: string): string | undefined; url: string } }, rows: T[], max = 100) {
  const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 25) || 25, 1), max);
  const start = Number(Buffer.from(c.req.query('after') ?? '', 'base64url').toString() || 0);
  const data = rows.slice(start, start + limit);
  const end = start + data.length;
  const cursor = (index: number) => Buffer.from(String(index)).toString('base64url');
  const next = new URL(c.req.url);
  next.searchParams.set('after', cursor(end));
  return {
    data,
    paging: {
      cursors: { before: cursor(start), after: cursor(end) },
      ...(end < rows.length ? { next: next.toString() } : {}),
    },
  };
}

export function graphRoutes(ctx: FakeContext) {
  const { state } = ctx;
  const app = new Hono();

  app.get('/oauth/access_token', (c) => {
    if (c.req.query('client_id') !== state.appId)
      return fail(400, 101, 'Error validating application. Invalid application ID.');
    if (c.req.query('client_secret') !== state.appSecret) return fail(400, 1, 'Error validating client secret.');
    if (c.req.query('grant_type') === 'fb_exchange_token') {
      const user = state.tokens.get(c.req.query('fb_exchange_token') ?? '');
      if (user?.kind !== 'user') return fail(400, 190);
      // The long-lived token keeps what the short one could reach (Pages, ad accounts) and its scopes.
      const token = issueToken(state, {
        kind: user.kind,
        targets: new Set(user.targets),
        scopes: [...user.scopes],
        ...(user.pageIds ? { pageIds: [...user.pageIds] } : {}),
        expiresIn: SIXTY_DAYS,
      });
      return c.json({ access_token: token, token_type: 'bearer', expires_in: SIXTY_DAYS });
    }
    const value = c.req.query('code') ?? missingParameter('code');
    const code = state.codes.get(value);
    if (!code || code.kind === 'instagram') return fail(400, 100, 'Invalid verification code format.', 36007);
    state.codes.delete(value); // a code is good once
    if (code.expiresAtMs < Date.now()) return fail(400, 100, 'This authorization code has expired.', 36007);
    const token = issueToken(state, {
      kind: code.kind,
      targets: new Set(code.targets),
      scopes: code.scopes ?? (code.kind === 'business' ? WHATSAPP_SCOPES : PAGE_SCOPES),
      ...(code.pageIds ? { pageIds: code.pageIds } : {}),
      ...(code.kind === 'user' ? { expiresIn: 3600 } : {}),
    });
    return c.json({ access_token: token, token_type: 'bearer', ...(code.kind === 'user' ? { expires_in: 3600 } : {}) });
  });

  app.get('/debug_token', (c) => {
    if (c.req.query('access_token') !== `${state.appId}|${state.appSecret}`) {
      return fail(400, 190, 'Invalid OAuth access token signature.');
    }
    const input = state.tokens.get(c.req.query('input_token') ?? '');
    if (!input) {
      return c.json({
        data: {
          app_id: state.appId,
          is_valid: false,
          scopes: [],
          error: { code: 190, message: 'Invalid OAuth access token.' },
        },
      });
    }
    const targets = [...input.targets].filter(
      (id) => state.wabas.has(id) || state.pages.has(id) || state.adAccounts.has(id),
    );
    return c.json({
      data: {
        app_id: state.appId,
        type: input.kind === 'page' ? 'PAGE' : input.kind === 'business' ? 'SYSTEM_USER' : 'USER',
        application: 'Asistone (fake)',
        expires_at: input.expiresAt,
        data_access_expires_at: input.expiresAt,
        is_valid: input.expiresAt === 0 || input.expiresAt * 1000 > Date.now(),
        issued_at: input.issuedAt,
        scopes: input.scopes,
        granular_scopes: input.scopes.map((scope) => ({
          scope,
          ...(targets.length > 0 ? { target_ids: targets } : {}),
        })),
      },
    });
  });

  app.get('/me/accounts', (c) => {
    const token = authorize(state, c);
    if (token.kind !== 'user') return fail(400, 100, '(#100) Tried accessing nonexisting field (accounts)');
    const pages = (token.pageIds ?? []).flatMap((id) => {
      const page = state.pages.get(id);
      return page
        ? [
            {
              id: page.id,
              name: page.name,
              access_token: page.token,
              category: 'Shopping & retail',
              tasks: ['MESSAGING', 'MANAGE'],
            },
          ]
        : [];
    });
    return c.json(paged(c, pages));
  });

  const subscription = (subscribe: boolean) => (c: Context) => {
    const id = c.req.param('id') as string;
    authorize(state, c, id);
    const waba = state.wabas.get(id);
    const page = state.pages.get(id);
    if (waba) waba.subscribed = subscribe;
    else if (page) {
      const fields = c.req.query('subscribed_fields');
      if (subscribe && !fields) return missingParameter('subscribed_fields');
      page.subscribedFields = subscribe ? fields?.split(',') : undefined;
    } else return fail(400, 100, undefined, 33);
    return c.json({ success: true });
  };
  app.post('/:id/subscribed_apps', subscription(true));
  app.delete('/:id/subscribed_apps', subscription(false));
  app.get('/:id/subscribed_apps', (c) => {
    const id = c.req.param('id');
    authorize(state, c, id);
    const subscribed = state.wabas.get(id)?.subscribed ?? state.pages.get(id)?.subscribedFields !== undefined;
    return c.json({
      data: subscribed ? [{ whatsapp_business_api_data: { id: state.appId, name: 'Asistone (fake)' } }] : [],
    });
  });

  app.post('/:id/register', async (c) => {
    const id = c.req.param('id');
    authorize(state, c, id);
    const phone = state.phoneNumbers.get(id) ?? fail(400, 100, undefined, 33);
    const body = (await c.req.json().catch(() => ({}))) as { messaging_product?: string; pin?: string };
    if (body.messaging_product !== 'whatsapp') return missingParameter('messaging_product');
    if (!/^\d{6}$/.test(body.pin ?? '')) return fail(400, 100, '(#100) Param pin must be 6 digits');
    if (phone.pin !== undefined && phone.pin !== body.pin) return fail(400, 133005);
    phone.pin = body.pin;
    phone.registered = true;
    return c.json({ success: true });
  });

  app.get('/:id/phone_numbers', (c) => {
    const id = c.req.param('id');
    authorize(state, c, id);
    if (!state.wabas.has(id)) return fail(400, 100, undefined, 33);
    const numbers = [...state.phoneNumbers.entries()]
      .filter(([, phone]) => phone.wabaId === id)
      .map(([numberId, phone]) => ({
        id: numberId,
        display_phone_number: phone.displayPhoneNumber,
        verified_name: phone.verifiedName,
        quality_rating: phone.qualityRating,
      }));
    return c.json(paged(c, numbers));
  });

  app.get('/:id/message_templates', (c) => {
    const id = c.req.param('id');
    authorize(state, c, id);
    const waba = state.wabas.get(id) ?? fail(400, 100, undefined, 33);
    return c.json(paged(c, waba.templates));
  });

  app.post('/:id/messages', (c) => {
    const id = c.req.param('id');
    if (state.phoneNumbers.has(id)) return sendWhatsApp(ctx, c, id);
    if (state.pages.has(id)) return sendMessaging(ctx, c, id, 'messenger');
    if (state.instagramAccounts.has(id)) return sendMessaging(ctx, c, id, 'instagram');
    authorize(state, c);
    return fail(400, 100, undefined, 33);
  });

  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const media = state.media.get(id);
    if (media) {
      authorize(state, c, media.businessId);
      return c.json({
        messaging_product: 'whatsapp',
        url: `${ctx.url()}/media-download/${media.id}?ext=${Date.now()}`,
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: media.bytes.byteLength,
        id: media.id,
      });
    }
    authorize(state, c, id);
    const phone = state.phoneNumbers.get(id);
    if (phone) {
      return c.json({
        id,
        display_phone_number: phone.displayPhoneNumber,
        verified_name: phone.verifiedName,
        quality_rating: phone.qualityRating,
        code_verification_status: 'VERIFIED',
        platform_type: phone.registered ? 'CLOUD_API' : 'NOT_APPLICABLE',
      });
    }
    const page = state.pages.get(id);
    if (page) return c.json({ id, name: page.name });
    return fail(400, 100, undefined, 33);
  });

  return app;
}
