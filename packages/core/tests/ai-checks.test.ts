import { describe, expect, it } from 'vitest';
import { amountValue, checkDraft, customerTrigger, type DraftContext, languageOf } from '../src/ai/checks.js';

/** The draft checks as pure functions: each guardrail refuses what it should and lets the grounded answer through. */

const order = JSON.stringify({
  orders: [
    {
      name: '#1041',
      total: { amount: '929.79', currency: 'TRY' },
      tracking: [{ url: 'https://kargo.example/YK5001TR', number: 'YK5001TR' }],
    },
  ],
});
const context: DraftContext = {
  guardrails: { maxReplyChars: 300, maxDiscountPercent: 10, mayPromiseDelivery: false, languages: ['tr', 'en'] },
  storeDomains: ['keten-butik.myshopify.com'],
  evidence: [order],
};

describe('draft checks', () => {
  it('lets a grounded answer through: its amount, its tracking link and the store itself', () => {
    expect(
      checkDraft(
        '#1041 siparişinizin tutarı 929,79 TL. Kargo takibi: https://kargo.example/YK5001TR ve mağazamız https://keten-butik.myshopify.com/pages/iade',
        context,
      ),
    ).toEqual({ ok: true });
  });

  it('refuses a link anywhere else, even one that looks like the tracking site', () => {
    expect(checkDraft('Detaylar için https://kargo.example/baska-bir-sayfa adresine bakın.', context)).toMatchObject({
      ok: false,
      failure: 'foreign-link',
    });
    expect(checkDraft('Ödeme için bit.ly/odeme linkine tıklayın.', context)).toMatchObject({
      ok: false,
      failure: 'foreign-link',
    });
    expect(checkDraft('Bakınız www.rakip-magaza.com', context)).toMatchObject({ ok: false, failure: 'foreign-link' });
  });

  it('refuses an amount the records do not hold, in either way of writing it', () => {
    expect(checkDraft('Siparişinizin tutarı 899,00 TL.', context)).toMatchObject({
      ok: false,
      failure: 'unsupported-amount',
    });
    expect(checkDraft('Your total is ₺1,299.00.', context)).toMatchObject({ ok: false, failure: 'unsupported-amount' });
    expect(checkDraft('Toplam ₺929,79 ödediniz.', context)).toEqual({ ok: true });
    expect(amountValue('1.299,90')).toBe(1299.9);
    expect(amountValue('1,299.90')).toBe(1299.9);
    expect(amountValue('1299')).toBe(1299);
  });

  it('refuses a discount above the limit, and any discount when the limit is 0', () => {
    expect(checkDraft('Size %20 indirim tanımlayabilirim.', context)).toMatchObject({
      ok: false,
      failure: 'discount-over-limit',
    });
    expect(checkDraft('Size %10 indirim tanımlayabilirim.', context)).toEqual({ ok: true });
    const none = { ...context, guardrails: { ...context.guardrails, maxDiscountPercent: 0 } };
    expect(checkDraft('Size yüzde 5 indirim yapalım.', none)).toMatchObject({
      ok: false,
      failure: 'discount-over-limit',
    });
    expect(checkDraft('I can give you a discount code for your next order.', none)).toMatchObject({
      ok: false,
      failure: 'discount-over-limit',
    });
  });

  it('refuses a delivery promise unless the business allows them or its own words say so', () => {
    expect(checkDraft('Siparişiniz yarın kapınızda olur.', context)).toMatchObject({
      ok: false,
      failure: 'delivery-promise',
    });
    expect(checkDraft('Your parcel will arrive by Friday, guaranteed.', context)).toMatchObject({
      ok: false,
      failure: 'delivery-promise',
    });
    const allowed = { ...context, guardrails: { ...context.guardrails, mayPromiseDelivery: true } };
    expect(checkDraft('Siparişiniz yarın kapınızda olur.', allowed)).toEqual({ ok: true });
  });

  it('refuses too long an answer and a language the business did not choose', () => {
    expect(checkDraft('a'.repeat(301), context)).toMatchObject({ ok: false, failure: 'too-long' });
    const turkishOnly = { ...context, guardrails: { ...context.guardrails, languages: ['tr' as const] } };
    expect(checkDraft('Your order is on the way, thank you for your patience.', turkishOnly)).toMatchObject({
      ok: false,
      failure: 'language-not-allowed',
    });
    expect(languageOf('Siparişiniz kargoya verildi, teşekkür ederiz.')).toBe('tr');
    expect(languageOf('Where is my order?')).toBe('en');
  });
});

describe("triggers in the customer's words", () => {
  const handoff = { onRequestForPerson: true, onAnger: true, onSensitiveTopics: ['hukuki'] };
  it('sends requests for a person, anger and sensitive or forbidden topics to people', () => {
    expect(customerTrigger('Bir yetkiliyle görüşmek istiyorum', handoff, [])).toBe('person-requested');
    expect(customerTrigger('Can I talk to a human please', handoff, [])).toBe('person-requested');
    expect(customerTrigger('Bu ne rezalet, paramı istiyorum', handoff, [])).toBe('anger');
    expect(customerTrigger('SİPARİŞİM HALA GELMEDİ NEDEN', handoff, [])).toBe('anger');
    expect(customerTrigger('Hukuki süreç başlatacağım', handoff, [])).toBe('sensitive-topic');
    expect(customerTrigger('Siyaset hakkında ne düşünüyorsunuz', handoff, ['siyaset'])).toBe('forbidden-topic');
    expect(customerTrigger('Siparişim nerede?', handoff, ['siyaset'])).toBeUndefined();
  });
  it('leaves them to the model when the business switched a trigger off', () => {
    const off = { onRequestForPerson: false, onAnger: false, onSensitiveTopics: [] };
    expect(customerTrigger('Bir yetkiliyle görüşmek istiyorum', off, [])).toBeUndefined();
    expect(customerTrigger('Bu ne rezalet', off, [])).toBeUndefined();
  });
});
