import { describe, expect, it } from 'vitest';
import { REDACTED, redactForModel } from '../src/ai/redact.js';

/**
 * What reaches the model: card numbers, IBANs, national ids and typed secrets go; the order
 * numbers, phone numbers and amounts the agent needs to answer stay.
 */
describe('redactForModel', () => {
  it.each([
    ['one block', 'kartım 4111111111111111 ile ödedim', 'kartım [kart numarası gizlendi] ile ödedim'],
    ['groups of four', 'kart: 4111 1111 1111 1111.', 'kart: [kart numarası gizlendi].'],
    ['dashes', 'card 5555-5555-5555-4444 please', 'card [kart numarası gizlendi] please'],
    ['Amex 4-6-5', 'amex 3782 822463 10005', 'amex [kart numarası gizlendi]'],
    ['Troy', 'troy kartım 9792 0300 0000 0000', 'troy kartım [kart numarası gizlendi]'],
    ['followed by an expiry', '4111 1111 1111 1111 12 28', '[kart numarası gizlendi] 12 28'],
  ])('takes out a Luhn-valid card number (%s)', (_label, input, expected) => {
    const out = redactForModel(input);
    expect(out.text).toBe(expected);
    expect(out.redactions).toEqual([{ kind: 'card', count: 1 }]);
  });

  it('counts every card in a message', () => {
    const out = redactForModel('4111111111111111 ya da 5555 5555 5555 4444');
    expect(out.text).toBe(`${REDACTED.card} ya da ${REDACTED.card}`);
    expect(out.redactions).toEqual([{ kind: 'card', count: 2 }]);
  });

  it.each([
    ['a number failing Luhn', 'kart 4111 1111 1111 1112 mi?'],
    ['a 13-digit reference failing Luhn', 'takip no 5012345678901'],
    ['a Luhn-valid tracking number no card network starts with', 'takip no 1000000000000008 ve 812345678901239'],
    ['an order number', 'siparişim #1042 nerede?'],
    ['a Turkish mobile', 'beni 0532 123 45 67 numarasından arayın'],
    ['an international mobile', 'numaram +90 532 123 45 67'],
    ['a mobile glued to a quantity', '05321234567 2 adet'],
    ['prices and dates', '1.299,90 TL, 12.05.2026 teslim'],
    ['a TCKN-shaped number failing its checksum', 'no 10000000147'],
    ['forgetting a password', 'şifremi unuttum, yardım eder misiniz?'],
  ])('keeps %s', (_label, input) => {
    expect(redactForModel(input)).toEqual({ text: input, redactions: [] });
  });

  it('takes out an IBAN, compact or grouped, and keeps what follows it', () => {
    expect(redactForModel('IBAN: TR330006100519786457841326 hesabıma')).toEqual({
      text: `IBAN: ${REDACTED.iban} hesabıma`,
      redactions: [{ kind: 'iban', count: 1 }],
    });
    expect(redactForModel('tr33 0006 1005 1978 6457 8413 26 numaralı hesap').text).toBe(
      `${REDACTED.iban} numaralı hesap`,
    );
    // A word that only looks like the start of one does not hide the IBAN after it.
    expect(redactForModel('ab12 TR330006100519786457841326').text).toBe(`ab12 ${REDACTED.iban}`);
    // A wrong check digit is not an IBAN.
    expect(redactForModel('TR330006100519786457841327').redactions).toEqual([]);
  });

  it('takes out a Turkish national id that passes the TCKN checksum', () => {
    expect(redactForModel('TC kimlik numaram 10000000146')).toEqual({
      text: `TC kimlik numaram ${REDACTED['national-id']}`,
      redactions: [{ kind: 'national-id', count: 1 }],
    });
  });

  it.each([
    ['şifrem: Gizli.123', `şifrem: ${REDACTED.secret}`],
    ['ŞİFREM: abc123!', `ŞİFREM: ${REDACTED.secret}`],
    ['sifre=hunter2', `sifre=${REDACTED.secret}`],
    ['my password is hunter2.', `my password is ${REDACTED.secret}`],
    ['cvv 123', `cvv ${REDACTED.secret}`],
    ['güvenlik kodu: 456', `güvenlik kodu: ${REDACTED.secret}`],
    ['pin 1234 bu', `pin ${REDACTED.secret} bu`],
    ['doğrulama kodu 918273', `doğrulama kodu ${REDACTED.secret}`],
  ])('takes out the secret after "%s"', (input, expected) => {
    const out = redactForModel(input);
    expect(out.text).toBe(expected);
    expect(out.redactions).toEqual([{ kind: 'secret', count: 1 }]);
  });

  it('handles everything at once and never returns the values it took out', () => {
    const input =
      'Sipariş #1042 için kartım 4111-1111-1111-1111, cvv: 737, TC 10000000146, IBAN TR330006100519786457841326, tel 0532 123 45 67';
    const out = redactForModel(input);
    expect(out.text).toBe(
      `Sipariş #1042 için kartım ${REDACTED.card}, cvv: ${REDACTED.secret} TC ${REDACTED['national-id']}, IBAN ${REDACTED.iban}, tel 0532 123 45 67`,
    );
    expect(out.redactions).toEqual([
      { kind: 'card', count: 1 },
      { kind: 'iban', count: 1 },
      { kind: 'national-id', count: 1 },
      { kind: 'secret', count: 1 },
    ]);
    const serialized = JSON.stringify(out);
    for (const value of ['4111', '737', '10000000146', 'TR33']) expect(serialized).not.toContain(value);
  });
});
