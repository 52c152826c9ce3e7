import type { AgentModel } from './model.js';
import type { ModelTool, ToolResult, ToolScope } from './tools.js';

/**
 * What the inference step needs from the model client (model.ts), the grounding tools
 * (tools.ts) and the redaction (redact.ts), as ports: agent.ts depends only on these shapes, the
 * worker plugs the real ones in, and a test may put a stand-in in one place (a model that
 * throws) while the rest runs for real.
 */
export type { ModelMessage, ModelToolCall, ModelTurn } from './model.js';
export type { Citation, ModelTool, ToolResult, ToolScope } from './tools.js';

export type AgentModelPort = AgentModel;

/** The tool allow-list and its runner, bound to the store and keys (tools.ts boundTools). */
export interface AgentToolsPort {
  list(): ModelTool[];
  run(scope: ToolScope, name: string, argsJson: string): Promise<ToolResult>;
}

/** redact.ts redactForModel: applied to every message before it goes to the model. */
export type RedactPort = (text: string) => { text: string };
