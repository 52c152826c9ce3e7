import { describe, expect, it } from 'vitest';
import { resources, STAGE, statementsOf, synthesizedApp } from './app.js';

/**
 * The AI model: only the workers of the inference steps (the agent's ai-replies, content on
 * request's ai-content and the ads' ads-recommendations) hold its key (an SST secret read from SSM), and the endpoint a deployment
 * chose (`OPENAI_BASE_URL=… npx sst deploy`, any OpenAI-compatible endpoint) reaches those three
 * alone. The API never calls the model: it queues.
 */
const WORKERS = [
  `asistone-${STAGE}-worker-ads-recommendations`,
  `asistone-${STAGE}-worker-ai-content`,
  `asistone-${STAGE}-worker-ai-replies`,
];
const ENDPOINT = 'https://llm-gateway.example.com/v1';
// Read by the stacks while synthesizing, which happens in this file's beforeAll (own process).
process.env.OPENAI_BASE_URL = ENDPOINT;
const app = synthesizedApp();

const keyPath = `/sst/asistone/${STAGE}/Secret/OPENAI_API_KEY/value`;
const productFunctions = () =>
  resources(app.templates, 'AWS::Lambda::Function').filter((fn) => fn.properties.FunctionName);
const nameOf = (fn: { properties: { FunctionName: unknown } }) => String(fn.properties.FunctionName);

describe("the AI model's settings", () => {
  it('lets the ai-replies, ai-content and ads-recommendations workers alone read the model key', () => {
    const readers = productFunctions().filter((fn) =>
      statementsOf(app.templates, fn).some(
        (statement) =>
          JSON.stringify(statement.Action).includes('ssm:GetParameter') &&
          JSON.stringify(statement.Resource).includes(keyPath),
      ),
    );
    expect(readers.map(nameOf).sort()).toEqual(WORKERS);
    for (const reader of readers)
      expect(reader.properties.Environment.Variables.OPENAI_API_KEY_PARAMETER).toBe(keyPath);
    // The key itself is never in a function's environment.
    for (const fn of productFunctions()) expect(fn.properties.Environment.Variables.OPENAI_API_KEY).toBeUndefined();
  });

  it("gives the deploying shell's OPENAI_BASE_URL to those three workers and to no other function", () => {
    const withEndpoint = productFunctions().filter((fn) => fn.properties.Environment.Variables.OPENAI_BASE_URL);
    expect(withEndpoint.map(nameOf).sort()).toEqual(WORKERS);
    for (const fn of withEndpoint) expect(fn.properties.Environment.Variables.OPENAI_BASE_URL).toBe(ENDPOINT);
  });
});
