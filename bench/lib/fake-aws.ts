import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { TABLE } from '@asistone/core/platform/store/table';

interface SdkRequest {
  hostname?: string;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

/** The SDK hands JSON bodies over as strings or bytes; bytes are read without copying. */
function text(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '{}';
}

type DynamoItem = Record<string, { S?: string }>;

/**
 * Stands in for the network under AWS SDK clients (`client.config.requestHandler`): answers
 * DynamoDB PutItem/GetItem and SQS SendMessage from memory, so the production path above it
 * (serialization, signing, response parsing, retries' bookkeeping) runs without AWS. Anything
 * else throws: the bench must never reach a real endpoint.
 */
export function fakeAwsTransport() {
  const items = new Map<string, DynamoItem>();
  let sent = 0;
  const keyOf = (item: DynamoItem) => `${item[TABLE.partitionKey]?.S}\u001f${item[TABLE.sortKey]?.S}`;
  const answer = (body: object) => ({
    response: {
      statusCode: 200,
      reason: 'OK',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() },
      body: Readable.from([Buffer.from(JSON.stringify(body))]),
    },
  });

  return {
    metadata: { handlerProtocol: 'http/1.1' },
    /** SQS messages accepted so far. */
    get sent() {
      return sent;
    },
    async handle(request: SdkRequest) {
      const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
      const input = JSON.parse(text(request.body));
      switch (target) {
        case 'DynamoDB_20120810.PutItem':
          items.set(keyOf(input.Item), input.Item);
          return answer({});
        case 'DynamoDB_20120810.GetItem': {
          const item = items.get(keyOf(input.Key));
          return answer(item ? { Item: item } : {});
        }
        case 'AmazonSQS.SendMessage':
          sent++;
          return answer({
            MessageId: randomUUID(),
            MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex'),
          });
        default:
          throw new Error(`the bench's fake AWS does not answer ${target ?? request.hostname}`);
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
