import { describe, expect, it } from 'vitest';
import { readAccountsConfig, readLinksConfig, readMailConfig } from '../src/platform/config.js';
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
  it('needs nothing on the local stack: the Resend key is optional (the local stage has none) and the sender has a default', () => {
    const config = readMailConfig({});
    expect(config.MAIL_FROM).toBe('Asistone <no-reply@asistone.ai>');
    expect(config.RESEND_API_KEY).toBeUndefined();
  });

  it('never prints the Resend key in its errors', () => {
    expect(() => readMailConfig({ RESEND_API_KEY: '', MAIL_FROM: 'x' })).toThrow(/RESEND_API_KEY/);
    expect(() => readMailConfig({ RESEND_API_KEY: 're_secret_value', MAIL_FROM: 'x' })).not.toThrow(/re_secret_value/);
  });
});

describe('readLinksConfig', () => {
  it('needs the web app address, without trailing slashes', () => {
    expect(readLinksConfig({ APP_URL: 'https://app.asistone.ai//' })).toEqual({ APP_URL: 'https://app.asistone.ai' });
    expect(() => readLinksConfig({})).toThrow(/APP_URL/);
  });
});
