import { describe, expect, it } from 'vitest';
import { metaGraphSettings } from '../src/platform/config.js';

describe('metaGraphSettings', () => {
  it('defaults to Meta’s own hosts and Graph v25.0, with no app ids', () => {
    expect(metaGraphSettings({})).toEqual({
      baseUrl: 'https://graph.facebook.com',
      instagramBaseUrl: 'https://graph.instagram.com',
      instagramApiUrl: 'https://api.instagram.com',
      version: 'v25.0',
      appId: undefined,
      embeddedSignupConfigId: undefined,
      instagramAppId: undefined,
    });
  });

  it('reads the local stack’s fake and the public app ids; an empty variable is unset', () => {
    const settings = metaGraphSettings({
      META_GRAPH_URL: 'http://127.0.0.1:4100/',
      META_INSTAGRAM_GRAPH_URL: 'http://127.0.0.1:4100/instagram-graph',
      META_INSTAGRAM_API_URL: '',
      META_GRAPH_VERSION: 'v26.0',
      META_APP_ID: '100000000000900',
      META_EMBEDDED_SIGNUP_CONFIG_ID: '',
    });
    expect(settings).toMatchObject({
      baseUrl: 'http://127.0.0.1:4100',
      instagramBaseUrl: 'http://127.0.0.1:4100/instagram-graph',
      instagramApiUrl: 'https://api.instagram.com',
      version: 'v26.0',
      appId: '100000000000900',
      embeddedSignupConfigId: undefined,
    });
  });

  it('names a bad variable without echoing its value', () => {
    expect(() => metaGraphSettings({ META_GRAPH_URL: 'not a url secret123' })).toThrow(/META_GRAPH_URL/);
    expect(() => metaGraphSettings({ META_GRAPH_URL: 'not a url secret123' })).not.toThrow(/secret123/);
    expect(() => metaGraphSettings({ META_GRAPH_VERSION: '25' })).toThrow(/META_GRAPH_VERSION/);
  });
});
