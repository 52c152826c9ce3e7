import * as z from 'zod';
import type { StoreViewDeps } from '../shopify/store-views.js';
import type { ModelTool } from './model.js';
import { searchKnowledge } from './tools-knowledge.js';
import { customerOrders, NOT_YOUR_ORDER, ownOrderByName } from './tools-orders.js';
import { searchProducts } from './tools-products.js';

/**
 * The agent's tools: the allow-list of everything the model may ask for, and nothing else.
 *
 * Each tool runs in a {@link ToolScope} the inference step takes from the conversation (its
 * business and its contact), never from the model: no tool has a customer, contact or business
 * argument, the argument schemas are closed (`additionalProperties: false`), and runTool refuses
 * arguments it does not know before running anything, so a customer's message that talks the
 * model into passing someone else's id gets a refusal, not someone else's data. No tool writes:
 * `propose_action` only describes a change for a person to approve (the inference step puts it on a ticket: handoff.ts).
 * Every answer is capped ({@link MAX_TOOL_OUTPUT}) and names the records it used (citations).
 */

export type { ModelTool };

export type AgentToolName =
  | 'customer_orders'
  | 'order_status'
  | 'search_products'
  | 'search_knowledge'
  | 'propose_action'
  | 'hand_off';

export interface ToolScope {
  tenantId: string;
  conversationId: string;
  contactId: string;
}

export interface Citation {
  kind: 'order' | 'product' | 'knowledge';
  id: string;
  label: string;
}

export const ACTION_KINDS = ['cancel', 'refund', 'address_change', 'discount', 'other'] as const;

/** A change the customer asked for, for a person to approve; nothing is done by proposing it. */
export interface ActionProposal {
  kind: (typeof ACTION_KINDS)[number];
  /** Set only when it names one of this customer's own orders. */
  orderName: string | null;
  details: string;
}

export interface ToolResult {
  /** JSON for the model. */
  content: string;
  citations: Citation[];
  /** False when the tool found nothing to answer from (the agent hands off rather than guess). */
  found: boolean;
  /** propose_action: what a person is asked to approve. */
  proposal?: ActionProposal;
  /** hand_off: the model's reason. */
  handOff?: { reason: string };
}

/** The store and keys the tools read with: the store views' (orders, products) plus storeOf for the knowledge base. */
export type ToolDeps = StoreViewDeps;

/** Characters of JSON one tool answer gives the model at most. */
export const MAX_TOOL_OUTPUT = 6_000;

const text = (max: number) => z.string().trim().min(1).max(max);

/** Closed argument schemas (zod's strictObject refuses unknown keys): the same as the JSON Schemas below. */
const ARGUMENTS = {
  customer_orders: z.strictObject({}),
  order_status: z.strictObject({ orderName: text(40) }),
  search_products: z.strictObject({ query: text(200) }),
  search_knowledge: z.strictObject({ query: text(300) }),
  propose_action: z.strictObject({
    kind: z.enum(ACTION_KINDS),
    orderName: text(40).nullable().optional(),
    details: text(500),
  }),
  hand_off: z.strictObject({ reason: text(300) }),
} satisfies Record<AgentToolName, z.ZodType>;

const TOOL_NAMES = Object.keys(ARGUMENTS) as AgentToolName[];

const closed = (properties: Record<string, object>) => ({
  type: 'object',
  properties,
  // Strict function calling: every property listed as required, optional ones nullable.
  required: Object.keys(properties),
  additionalProperties: false,
});

/** The tools as the model sees them (strict JSON Schemas). */
export function agentTools(): ModelTool[] {
  return [
    {
      name: 'customer_orders',
      description:
        "The orders of the customer in this conversation (newest first, at most 5): status, payment, items, total and shipment tracking. Only this customer's orders exist for you.",
      parameters: closed({}),
    },
    {
      name: 'order_status',
      description:
        'One order of the customer in this conversation by its number (for example #1042): status, items, total and tracking. Answers "not found" for any number that is not this customer\'s.',
      parameters: closed({ orderName: { type: 'string', description: 'The order number, e.g. #1042' } }),
    },
    {
      name: 'search_products',
      description:
        "Search the store's products by name, type or SKU: exact price with currency, and stock per location. Top 5.",
      parameters: closed({ query: { type: 'string', description: "The customer's words for the product" } }),
    },
    {
      name: 'search_knowledge',
      description:
        "Search the business's own knowledge base (returns, shipping, opening hours, policies). Top 3 entries.",
      parameters: closed({ query: { type: 'string', description: 'What the customer asks about' } }),
    },
    {
      name: 'propose_action',
      description:
        'Propose a change the customer asks for (cancel, refund, address change, discount, other). Changes nothing: a person reviews and decides. Tell the customer a person will get back to them.',
      parameters: closed({
        kind: { type: 'string', enum: [...ACTION_KINDS] },
        orderName: { type: ['string', 'null'], description: 'The order number it concerns, if any' },
        details: { type: 'string', description: 'What the customer asks for, in one or two sentences' },
      }),
    },
    {
      name: 'hand_off',
      description:
        'Hand the conversation to a person: when the answer is not in the tools, the customer asks for a person, or is upset.',
      parameters: closed({ reason: { type: 'string', description: 'Why, in one sentence' } }),
    },
  ];
}

const answer = (payload: object, citations: Citation[], found: boolean): ToolResult => ({
  content: JSON.stringify(payload),
  citations,
  found,
});

/** A refusal the model can read; nothing was run. Names keys only, never the values sent. */
function refused(reason: string): ToolResult {
  return answer({ error: reason }, [], false);
}

/**
 * The payload as JSON of at most {@link MAX_TOOL_OUTPUT} characters: whole items are dropped from
 * the end of its list (never cut mid-JSON), with `truncated: true` so the model knows, and the
 * citations kept in step with the items left.
 */
function capped<K extends string>(
  payload: Record<K, unknown[]> & Record<string, unknown>,
  listKey: K,
  citations: Citation[],
  found: boolean,
): ToolResult {
  const list = [...payload[listKey]];
  const cited = [...citations];
  let json = JSON.stringify(payload);
  while (json.length > MAX_TOOL_OUTPUT && list.length > 0) {
    list.pop();
    if (cited.length > list.length) cited.length = list.length;
    json = JSON.stringify({ ...payload, [listKey]: list, truncated: true });
  }
  // One item alone over the cap (a huge text): the refusal is safer than a cut string.
  if (json.length > MAX_TOOL_OUTPUT) return refused('answer too large');
  return { content: json, citations: cited, found: found && list.length > 0 };
}

function parseArguments(
  name: AgentToolName,
  argsJson: string,
): { ok: true; args: unknown } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = argsJson.trim() === '' ? {} : JSON.parse(argsJson);
  } catch {
    return { ok: false, reason: 'arguments are not JSON' };
  }
  const parsed = ARGUMENTS[name].safeParse(raw);
  if (parsed.success) return { ok: true, args: parsed.data };
  const issue = parsed.error.issues[0];
  const keys = issue && 'keys' in issue && Array.isArray(issue.keys) ? `: ${issue.keys.join(', ')}` : '';
  return { ok: false, reason: `arguments not accepted (${issue?.code ?? 'invalid'}${keys})` };
}

/**
 * Runs one tool call of the model in the conversation's scope. An unknown tool or arguments
 * outside its schema run nothing and answer an error the model can read.
 */
export async function runTool(deps: ToolDeps, scope: ToolScope, name: string, argsJson: string): Promise<ToolResult> {
  if (!(TOOL_NAMES as string[]).includes(name)) return refused('no such tool');
  const tool = name as AgentToolName;
  const parsed = parseArguments(tool, argsJson);
  if (!parsed.ok) return refused(parsed.reason);
  switch (tool) {
    case 'customer_orders': {
      const { orders, citations, more } = await customerOrders(deps, scope);
      return capped({ orders, more }, 'orders', citations, orders.length > 0);
    }
    case 'order_status': {
      const { orderName } = parsed.args as z.output<(typeof ARGUMENTS)['order_status']>;
      const own = await ownOrderByName(deps, scope, orderName);
      // The same words whether the order is another customer's or does not exist at all.
      if (!own) return answer({ found: false, message: NOT_YOUR_ORDER }, [], false);
      return capped({ orders: [own.order] }, 'orders', [own.citation], true);
    }
    case 'search_products': {
      const { query } = parsed.args as z.output<(typeof ARGUMENTS)['search_products']>;
      const { products, citations, partial } = await searchProducts(deps, scope.tenantId, query);
      return capped(
        { products, ...(partial && { partialCatalogue: true }) },
        'products',
        citations,
        products.length > 0,
      );
    }
    case 'search_knowledge': {
      const { query } = parsed.args as z.output<(typeof ARGUMENTS)['search_knowledge']>;
      const { entries, citations } = await searchKnowledge(deps, scope.tenantId, query);
      return capped({ entries }, 'entries', citations, entries.length > 0);
    }
    case 'propose_action': {
      const args = parsed.args as z.output<(typeof ARGUMENTS)['propose_action']>;
      // The order is named on the proposal only when it is this customer's: a person acting on
      // it must not be pointed at someone else's order by the customer's words.
      const own = args.orderName ? await ownOrderByName(deps, scope, args.orderName) : undefined;
      const proposal: ActionProposal = {
        kind: args.kind,
        orderName: own ? own.order.name : null,
        details: args.details,
      };
      return {
        ...answer(
          { proposal, status: 'A person will review this request; nothing has been changed.' },
          own ? [own.citation] : [],
          true,
        ),
        proposal,
      };
    }
    case 'hand_off': {
      const { reason } = parsed.args as z.output<(typeof ARGUMENTS)['hand_off']>;
      return { ...answer({ handedOff: true }, [], true), handOff: { reason } };
    }
  }
}

/** The tools bound to their store and keys: the shape the inference step plugs in (agent-ports.ts AgentToolsPort). */
export function boundTools(deps: ToolDeps): {
  list(): ModelTool[];
  run(scope: ToolScope, name: string, argsJson: string): Promise<ToolResult>;
} {
  return { list: agentTools, run: (scope, name, argsJson) => runTool(deps, scope, name, argsJson) };
}
