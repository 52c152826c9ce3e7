import { AI_HANDOFF_REASONS } from '@asistone/contract/ai-thread';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.js';
import { tr } from '../src/i18n/tr.js';

/**
 * The inbox says why the AI agent handed a conversation to people (AiResponderBar): every reason
 * the contract names has its sentence in both languages, so none falls back to "a person should
 * answer" (a reason added in the core but not here, such as the plan's monthly limit, would).
 */
describe('handoff reasons', () => {
  it('each has its sentence in Turkish and English', () => {
    for (const reason of AI_HANDOFF_REASONS) {
      expect(tr.ai.thread.reason, reason).toHaveProperty(reason);
      expect(en.ai.thread.reason, reason).toHaveProperty(reason);
    }
  });

  it('include the plan’s monthly AI replies being used up', () => {
    expect(AI_HANDOFF_REASONS).toContain('plan-limit');
    expect(tr.ai.thread.reason['plan-limit']).toMatch(/yapay zekâ cevapları bitti/);
  });
});
