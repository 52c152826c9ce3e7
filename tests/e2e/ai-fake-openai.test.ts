import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiModel, openAiSettings } from '../../packages/core/src/ai/model.js';
import { localAws } from '../support/local-aws.js';
import { type RunningStack, startStack } from '../support/local-stack.js';

/**
 * `npm start` points the AI agent's model at the fake OpenAI, whatever the developer's shell
 * says: OPENAI_BASE_URL and OPENAI_API_KEY are often set there for other tools, and the local
 * stack's messages must never reach a real provider by accident.
 */
let stack: RunningStack;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({
    env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-from-the-shell', ASISTONE_BUILD_WEB: 'false' },
  });
  env = localAws(stack.dataDir).env;
}, 90_000);
afterAll(() => stack?.stop());

describe('the local stack and the fake OpenAI', () => {
  it("gives its functions the fake's endpoint and key, not the shell's", async () => {
    expect(env.OPENAI_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(env.OPENAI_BASE_URL).not.toBe('http://127.0.0.1:9/v1');
    expect(env.OPENAI_API_KEY).not.toBe('sk-from-the-shell');
    // What the ai-replies worker builds from that environment reaches the fake.
    const turn = await openAiModel(openAiSettings(env)).complete({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'merhaba' }],
      tools: [],
      maxTokens: 50,
    });
    expect(turn).toMatchObject({ text: 'HANDOFF', finish: 'stop' });
    const recorded = await fetch(new URL('/dev/openai/requests', env.OPENAI_BASE_URL));
    const { requests } = (await recorded.json()) as { requests: { status: number; body: { store: boolean } }[] };
    expect(requests.at(-1)).toMatchObject({ status: 200, body: { store: false } });
  });

  it('takes a script for the next answers over HTTP', async () => {
    const queued = await fetch(new URL('/dev/openai/script', env.OPENAI_BASE_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ answers: [{ text: 'scripted' }] }),
    });
    expect(queued.status).toBe(200);
    const model = openAiModel(openAiSettings(env));
    const ask = {
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user' as const, content: 'x' }],
      tools: [],
      maxTokens: 50,
    };
    expect((await model.complete(ask)).text).toBe('scripted');
    expect((await model.complete(ask)).text).toBe('HANDOFF');
  });
});
