import { type AgentModel, openAiModel, openAiSettings } from '@asistone/core/ai/model';

/**
 * The AI model, built on its first call: a deployment without a key or endpoint then fails that
 * call (a ConfigError the caller handles as the model being unavailable) instead of failing the
 * worker's start. `env` holds the secrets read from SSM.
 */
export function lazyModel(env: Record<string, string | undefined>): AgentModel {
  let model: AgentModel | undefined;
  return {
    complete(input) {
      model ??= openAiModel(openAiSettings(env));
      return model.complete(input);
    },
  };
}
