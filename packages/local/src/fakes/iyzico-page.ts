import { type Context, Hono } from 'hono';
import { chargeOrder, newOrder } from './iyzico-charges.js';
import {
  FAKE_IYZICO_CARDS,
  type FakeCard,
  type FakeHostedForm,
  type FakeIyzicoState,
  type FakeSubscription,
  maskCard,
  recordCall,
  referenceCode,
} from './iyzico-state.js';

/**
 * The fake's hosted page, standing for iyzico's (`/dev/iyzico/checkout/<token>`): a card form in
 * Turkish (holder, number, expiry, CVC). `5528790000000008` pays, `4111111111111129` is declined.
 * A paid checkout creates the customer and an ACTIVE subscription whose first order is paid; a
 * card update replaces the subscription's card. Then, as iyzico does, the browser POSTs the
 * token to the merchant's `callbackUrl` (a small script submits the form; a button does without
 * it). The card number is never kept, only its mask.
 */

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}
label{display:block;margin:.9rem 0 .3rem;font-weight:600}input{width:100%;padding:.55rem;font-size:1rem;box-sizing:border-box}
.row{display:flex;gap:1rem}.row>div{flex:1}button{margin-top:1.4rem;width:100%;padding:.7rem;font-size:1rem;background:#1e64c8;color:#fff;border:0;border-radius:.3rem}
[role=alert]{background:#fdecea;color:#8a1c12;padding:.6rem;border-radius:.3rem}.hint{color:#555;font-size:.85rem}`;

function layout(title: string, body: string, script = false): string {
  return `<!doctype html><html lang="tr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main>${
    script ? '<script src="/dev/iyzico/checkout.js"></script>' : ''
  }</body></html>`;
}

function formPage(state: FakeIyzicoState, form: FakeHostedForm, error?: string): string {
  const plan = form.pricingPlanReferenceCode ? state.plans[form.pricingPlanReferenceCode] : undefined;
  const heading = form.kind === 'checkout' ? 'Abonelik ödemesi' : 'Kart bilgilerini güncelle';
  const summary = plan
    ? `<p>${escapeHtml(plan.name)}: aylık ${escapeHtml(plan.price.toFixed(2))} ${escapeHtml(plan.currencyCode)}</p>`
    : '<p>Aboneliğinizin bundan sonraki ödemeleri bu karttan alınır.</p>';
  return layout(
    `${heading} · iyzico (yerel)`,
    `<h1>${heading}</h1>${summary}
${error ? `<p role="alert" id="form-error">${escapeHtml(error)}</p>` : ''}
<form method="post" novalidate${error ? ' aria-describedby="form-error"' : ''}>
<label for="cardHolderName">Kart üzerindeki ad soyad</label>
<input id="cardHolderName" name="cardHolderName" autocomplete="cc-name" required>
<label for="cardNumber">Kart numarası</label>
<input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" required aria-describedby="card-hint">
<p class="hint" id="card-hint">Deneme kartları: ${FAKE_IYZICO_CARDS.succeeds} (ödeme alınır), ${FAKE_IYZICO_CARDS.declines} (reddedilir).</p>
<div class="row"><div><label for="expireDate">Son kullanma tarihi (AA/YY)</label>
<input id="expireDate" name="expireDate" inputmode="numeric" autocomplete="cc-exp" placeholder="AA/YY" required></div>
<div><label for="cvc">Güvenlik kodu (CVC)</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required></div></div>
<button type="submit">${form.kind === 'checkout' ? 'Öde ve aboneliği başlat' : 'Kartı kaydet'}</button>
</form>`,
  );
}

/** The page iyzico shows after the card: the token goes back to the merchant by POST. */
function backToMerchant(form: FakeHostedForm): string {
  return layout(
    'Mağazaya dönülüyor',
    `<h1>İşlem tamamlandı</h1><p>Mağazaya yönlendiriliyorsunuz.</p>
<form method="post" action="${escapeHtml(form.callbackUrl)}" id="iyzico-callback">
<input type="hidden" name="token" value="${escapeHtml(form.token)}">
<button type="submit">Mağazaya dön</button></form>`,
    true,
  );
}

/** Why the card is refused, in the page's words; undefined when it is well formed. */
function cardProblem(fields: Record<string, string>): string | undefined {
  const number = (fields.cardNumber ?? '').replace(/[\s-]/g, '');
  if (!fields.cardHolderName?.trim()) return 'Kart üzerindeki adı yazın.';
  if (!/^\d{12,19}$/.test(number)) return 'Kart numarası geçersiz.';
  const expiry = /^(\d{2})\s*\/\s*(\d{2})$/.exec(fields.expireDate ?? '');
  const month = Number(expiry?.[1]);
  const year = 2000 + Number(expiry?.[2]);
  const now = new Date();
  if (!expiry || month < 1 || month > 12 || year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) {
    return 'Son kullanma tarihi geçersiz.';
  }
  if (!/^\d{3,4}$/.test(fields.cvc ?? '')) return 'Güvenlik kodu geçersiz.';
  return undefined;
}

export function iyzicoPageRoutes(state: FakeIyzicoState, save: () => void) {
  const app = new Hono();
  const openForm = (token: string) => {
    const form = state.forms[token];
    return form && !form.completedAt && form.expiresAt > Date.now() ? form : undefined;
  };
  const gone = (c: Context) =>
    c.html(
      layout('Ödeme sayfası', '<h1>Bu ödeme sayfası artık geçerli değil</h1><p>Mağazaya dönüp yeniden deneyin.</p>'),
      410,
    );

  app.get('/dev/iyzico/checkout.js', (c) =>
    c.body("document.getElementById('iyzico-callback')?.submit();\n", 200, {
      'content-type': 'text/javascript; charset=utf-8',
    }),
  );

  app.get('/dev/iyzico/checkout/:token', (c) => {
    const form = openForm(c.req.param('token'));
    return form ? c.html(formPage(state, form)) : gone(c);
  });

  app.post('/dev/iyzico/checkout/:token', async (c) => {
    const form = openForm(c.req.param('token'));
    if (!form) return gone(c);
    const fields = Object.fromEntries(
      Object.entries(await c.req.parseBody()).map(([key, value]) => [key, typeof value === 'string' ? value : '']),
    );
    const problem = cardProblem(fields);
    if (problem) return c.html(formPage(state, form, problem), 422);
    const number = (fields.cardNumber ?? '').replace(/[\s-]/g, '');
    const card: FakeCard = { mask: maskCard(number), declines: number === FAKE_IYZICO_CARDS.declines };
    const merchant = state.merchants.find((candidate) => candidate.apiKey === form.merchantApiKey);
    const log = (status: 'success' | 'failure', errorCode?: string) =>
      recordCall(state, {
        at: Date.now(),
        method: 'POST',
        path: `/dev/iyzico/checkout/${form.kind}`,
        ...(merchant && { merchantId: merchant.merchantId }),
        status,
        ...(errorCode && { errorCode }),
      });
    if (card.declines) {
      log('failure', '10051');
      return c.html(formPage(state, form, 'Kartınız reddedildi: limit yetersiz. Başka bir kart deneyin.'), 422);
    }
    if (form.kind === 'card-update') {
      const subscription = state.subscriptions[form.subscriptionReferenceCode ?? ''];
      if (!subscription) return gone(c);
      subscription.card = card;
    } else {
      const now = Date.now();
      const customer = {
        referenceCode: referenceCode(),
        name: form.customer?.name ?? '',
        surname: form.customer?.surname ?? '',
        email: form.customer?.email ?? '',
        createdDate: now,
        merchantApiKey: form.merchantApiKey,
      };
      state.customers[customer.referenceCode] = customer;
      const subscription: FakeSubscription = {
        referenceCode: referenceCode(),
        merchantApiKey: form.merchantApiKey,
        customerReferenceCode: customer.referenceCode,
        pricingPlanReferenceCode: form.pricingPlanReferenceCode ?? '',
        // Until its first order is paid, just below.
        subscriptionStatus: 'PENDING',
        createdDate: now,
        startDate: now,
        card,
        orders: [],
      };
      state.subscriptions[subscription.referenceCode] = subscription;
      chargeOrder(subscription, newOrder(state, subscription, now));
      form.subscriptionReferenceCode = subscription.referenceCode;
    }
    form.completedAt = Date.now();
    log('success');
    save();
    return c.html(backToMerchant(form));
  });

  return app;
}
