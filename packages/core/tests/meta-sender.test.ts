import { describe, expect, it } from 'vitest';
import { messagingBody, whatsappBody } from '../src/channels/meta/sender.js';

/** Replies in the shapes Meta's Cloud API and Send API take. */
describe('reply bodies', () => {
  it('addresses WhatsApp by number, or by user id when the customer has none', () => {
    expect(whatsappBody({ externalId: '905551112233' }, { kind: 'text', text: 'Merhaba' })).toEqual({
      recipient_type: 'individual',
      to: '905551112233',
      type: 'text',
      text: { body: 'Merhaba', preview_url: true },
    });
    expect(whatsappBody({ userId: 'TR.1502576394655843' }, { kind: 'text', text: 'Merhaba' })).toMatchObject({
      recipient: 'TR.1502576394655843',
    });
  });

  it('fills a template’s body variables in order, and sends media by link (audio without caption)', () => {
    expect(
      whatsappBody(
        { externalId: '905551112233' },
        { kind: 'template', name: 'order_update', language: 'tr', variables: ['Ali', 'A-1'] },
      ),
    ).toMatchObject({
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'tr' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ali' },
              { type: 'text', text: 'A-1' },
            ],
          },
        ],
      },
    });
    expect(
      whatsappBody(
        { externalId: '9055' },
        { kind: 'media', mediaKind: 'audio', url: 'https://x.example/a.ogg', caption: 'c' },
      ),
    ).toMatchObject({ type: 'audio', audio: { link: 'https://x.example/a.ogg' } });
    // A document keeps the name the team uploaded it under; other media have no file name on WhatsApp.
    expect(
      whatsappBody(
        { externalId: '9055' },
        { kind: 'media', mediaKind: 'document', url: 'https://x.example/d', caption: 'Fatura', fileName: 'fatura.pdf' },
      ),
    ).toMatchObject({
      type: 'document',
      document: { link: 'https://x.example/d', caption: 'Fatura', filename: 'fatura.pdf' },
    });
    expect(
      whatsappBody(
        { externalId: '9055' },
        { kind: 'media', mediaKind: 'image', url: 'https://x.example/i', fileName: 'a.png' },
      ),
    ).toEqual(expect.objectContaining({ image: { link: 'https://x.example/i' } }));
  });

  it('answers on Messenger and Instagram as a RESPONSE, or with the HUMAN_AGENT tag, marked as our own send', () => {
    expect(messagingBody({ externalId: 'psid1' }, { kind: 'text', text: 'Selam' }, false, 'mo_1')).toEqual({
      recipient: { id: 'psid1' },
      messaging_type: 'RESPONSE',
      message: { text: 'Selam', metadata: 'asistone:mo_1' },
    });
    expect(messagingBody({ externalId: 'psid1' }, { kind: 'text', text: 'Selam' }, true)).toMatchObject({
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
    expect(
      messagingBody(
        { externalId: 'psid1' },
        { kind: 'media', mediaKind: 'document', url: 'https://x.example/f.pdf' },
        false,
      ),
    ).toMatchObject({ message: { attachment: { type: 'file', payload: { url: 'https://x.example/f.pdf' } } } });
  });
});
