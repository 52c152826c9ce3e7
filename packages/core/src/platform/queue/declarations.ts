/** Largest message body a queue takes; larger bodies travel through S3 (claim check). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export type { MessageOf, QueueDeclaration, QueueMessageSchema } from '../area.js';
export { deadLetterQueueName } from '../area.js';
