import { describe, expect, it } from 'vitest';
import { readAccountsConfig, readMailConfig } from '../src/platform/config.js';
import { ConfigError } from '../src/platform/errors.js';

describe('readAccountsConfig', () => {
  it('needs a token secret of at least 32 characters and the web app address', () => {
    const config = readAccountsConfig({ AUTH_TOKEN_SECRET: 'x'.repeat(32), APP_URL: 'https://app.asistone.ai/' });
    expect(config).toEqual({ AUTH_TOKEN_SECRET: 'x'.repeat(32), APP_URL: 'https://app.asistone.ai' });
  });

  it('names what is wrong without printing the secret', () => {
    const short = 'too-short-a-secret';
    let error: unknown;
    try {
      readAccountsConfig({ AUTH_TOKEN_SECRET: short });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/AUTH_TOKEN_SECRET: must be at least 32 characters/);
    expect((error as Error).message).toMatch(/APP_URL/);
    expect((error as Error).message).not.toContain(short);
  });
});

describe('readMailConfig', () => {
  it('needs the web app address; the Resend key is optional (the local stage has none) and the sender has a default', () => {
    const config = readMailConfig({ APP_URL: 'https://app.asistone.ai//' });
    expect(config.APP_URL).toBe('https://app.asistone.ai');
    expect(config.MAIL_FROM).toBe('Asistone <no-reply@asistone.ai>');
    expect(config.RESEND_API_KEY).toBeUndefined();
  });

  it('names a missing web app address', () => {
    expect(() => readMailConfig({ RESEND_API_KEY: 're_secret_value' })).toThrow(/APP_URL/);
    expect(() => readMailConfig({ RESEND_API_KEY: 're_secret_value' })).not.toThrow(/re_secret_value/);
  });
});
