import { expandQueueRefs } from '@asistone/core/platform/area';
import { queueUrlVariable } from '@asistone/core/platform/config';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { useFunctions } from 'sst/constructs';
import { describe, expect, it } from 'vitest';
import {
  asArray,
  FUNCTION_STACK,
  type Json,
  productFunction,
  type Resource,
  referencedId,
  resolveAcrossStacks,
  resourcesIn,
  STAGE,
  statementsOf,
  synthesizedApp,
} from './app.js';

/**
 * Adding to an area is enough: every function the composed product declares (webhooks, the API,
 * each queue's consumer, each schedule) exists in the stack that builds its kind, with its
 * declared handler and timeout, and every queue its access names (wildcards expanded) is a queue
 * of the Queues stack, which the function is told the URL of and granted exactly the declared
 * actions on. Nothing here names a function or a queue: a new one in any area is covered as is.
 */
const app = synthesizedApp();

const functionNamed = (name: string) => productFunction(app.templates, name);

/** The logical id of a queue of the Queues stack, by logical name (`mail`, `mail-dlq`). */
const queueId = (name: string): string => {
  const found = resourcesIn(app.templates.Queues, 'AWS::SQS::Queue').filter(
    ([, queue]) => queue.QueueName === resourceName(STAGE, name),
  );
  expect(found, `queue ${name} in the Queues stack`).toHaveLength(1);
  return found[0]![0];
};

/** The Queues-stack logical id a value of `stack` points at, following cross-stack imports. */
const queueIdOf = (stack: Resource['stack'], value: Json): string | undefined => {
  const resolved = resolveAcrossStacks(app.templates, stack, value);
  return resolved.stack === 'Queues' ? referencedId(resolved.value) : undefined;
};

/**
 * The queues (Queues-stack logical ids) a function's own statements allow `action` on. The
 * statement the SQS event source adds for a consumer (ReceiveMessage, DeleteMessage,
 * GetQueueAttributes, ... on the queue it consumes) is left out, and checked on its own below.
 */
function queuesAllowed(fn: Resource, action: string, { eventSource = false } = {}): string[] {
  return statementsOf(app.templates, fn)
    .filter((statement) => statement.Effect === 'Allow' && asArray<string>(statement.Action).includes(action))
    .filter((statement) => asArray<string>(statement.Action).includes('sqs:ReceiveMessage') === eventSource)
    .flatMap((statement) => asArray<Json>(statement.Resource))
    .map((arn) => {
      const id = queueIdOf(fn.stack, arn);
      expect(id, `${action} on ${JSON.stringify(arn)} is a queue of the Queues stack`).toBeDefined();
      return id!;
    })
    .sort();
}

describe('the composed product', () => {
  it('declares functions, queues and their consumers', () => {
    expect(PRODUCT.functions.length).toBeGreaterThan(0);
    expect(PRODUCT.queues.length).toBeGreaterThan(0);
    for (const queue of PRODUCT.queues) expect(PRODUCT.fn(`worker-${queue.name}`)?.kind).toBe('worker');
  });
});

describe.each(PRODUCT.functions)('function $name ($kind)', (declared) => {
  const refs = (kind: 'sends' | 'inspects') => expandQueueRefs(declared.access[kind] ?? [], PRODUCT.queueNames);

  it('exists in the stack that builds its kind, with its declared handler and timeout', () => {
    const fn = functionNamed(declared.name);
    expect(fn.stack).toBe(FUNCTION_STACK[declared.kind]);
    expect(fn.properties.Timeout).toBe(declared.timeoutSeconds);
    expect(fn.properties.MemorySize).toBe(declared.memoryMb ?? 1024);
    // The handler is what SST's deferred build reads (the template holds a placeholder until then).
    const built = app.stacks[fn.stack].getAllFunctions().filter((candidate) => candidate.node.id === declared.name);
    expect(built).toHaveLength(1);
    expect(useFunctions().fromID(built[0]!.node.addr)?.handler).toBe(declared.handler);
  });

  it('names only queues of the Queues stack in its access, and is told the URL of each and of no other', () => {
    const named = [...new Set([...refs('sends'), ...refs('inspects')])];
    for (const ref of named) expect(PRODUCT.queueNames.flatMap((name) => [name, `${name}-dlq`])).toContain(ref);
    const fn = functionNamed(declared.name);
    const variables = Object.entries<Json>(fn.properties.Environment.Variables).filter(([variable]) =>
      variable.startsWith('QUEUE_URL_'),
    );
    expect(variables.map(([variable]) => variable).sort()).toEqual(named.map(queueUrlVariable).sort());
    for (const ref of named) {
      expect(queueIdOf(fn.stack, fn.properties.Environment.Variables[queueUrlVariable(ref)]), ref).toBe(queueId(ref));
    }
  });

  it('may send to exactly the queues it declares, and read the depth of exactly the ones it inspects', () => {
    const fn = functionNamed(declared.name);
    expect(queuesAllowed(fn, 'sqs:SendMessage')).toEqual(refs('sends').map(queueId).sort());
    expect(queuesAllowed(fn, 'sqs:GetQueueAttributes')).toEqual(refs('inspects').map(queueId).sort());
  });

  it('receives from the queue it consumes, if it is a consumer, and from no other queue', () => {
    const consumed = PRODUCT.queues.filter((queue) => `worker-${queue.name}` === declared.name);
    expect(consumed).toHaveLength(declared.kind === 'worker' ? 1 : 0);
    const fn = functionNamed(declared.name);
    expect(queuesAllowed(fn, 'sqs:ReceiveMessage', { eventSource: true })).toEqual(
      consumed.map((queue) => queueId(queue.name)),
    );
  });

  it('may check that KMS answers (kms:ListAliases) exactly when it declares so', () => {
    const listing = statementsOf(app.templates, functionNamed(declared.name)).filter((statement) =>
      asArray<string>(statement.Action).includes('kms:ListAliases'),
    );
    expect(listing).toHaveLength(declared.access.keyService ? 1 : 0);
  });
});
