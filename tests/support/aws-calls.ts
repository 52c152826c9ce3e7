/**
 * Records every call some AWS SDK clients send, in order: what a handler asked of DynamoDB and
 * SQS, so a test can compare the work two requests did instead of their timings.
 */
export interface AwsCall {
  client: string;
  /** `GetItemCommand`, `UpdateItemCommand`, `SendMessageCommand`, ... */
  command: string;
  input: Record<string, unknown>;
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware generics differ per client.
      middleware: (next: any, context: any) => (args: any) => Promise<any>,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
  };
}

export function recordAwsCalls(clients: Record<string, MiddlewareClient>) {
  const calls: AwsCall[] = [];
  for (const [name, client] of Object.entries(clients)) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push({ client: name, command: String(context.commandName), input: args.input });
        return next(args);
      },
      { step: 'initialize', name: `record-${name}-calls`, override: true },
    );
  }
  return {
    calls,
    /** Forgets what was recorded so far. */
    clear() {
      calls.length = 0;
    },
  };
}

/**
 * The DynamoDB commands among `calls` that a function declaring `tableActions` could not send in
 * AWS (its IAM policy is built from the declaration, stacks/permissions.ts): locally nothing
 * refuses them, so a test compares what a code path sent with what its function may.
 */
export function tableCallsOutside(calls: readonly AwsCall[], tableActions: readonly string[]): string[] {
  const allowed = new Set(tableActions.map((action) => `${action}Command`));
  return [...new Set(calls.filter((call) => call.client === 'dynamo').map((call) => call.command))].filter(
    (command) => !allowed.has(command),
  );
}

/** A blind index or secret hash (43 base64url characters), which differs per address. */
const PER_ADDRESS = /[A-Za-z0-9_-]{43}/g;

/**
 * The shape of each call, without the values that differ from one address to the next: the
 * command and the key (or queue) it touched.
 *
 * @example
 * describeWork(calls) // ['UpdateItemCommand t#accounts#throttle#reset-address#… window#…', 'SendMessageCommand mail']
 */
export function describeWork(calls: readonly AwsCall[]): string[] {
  return calls.map(({ command, input }) => {
    const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
    if (key) {
      const where = [key.pk, key.sk].map((part) => String(part).replace(PER_ADDRESS, '…').replace(/\d+/g, '#'));
      return `${command} ${where.join(' ')}`;
    }
    if (typeof input.QueueUrl === 'string') return `${command} ${input.QueueUrl.split('/').pop()}`;
    return command;
  });
}
