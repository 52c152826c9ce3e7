import { defineArea } from '../platform/area.js';
import { AI_BUSINESS_DATA } from './business-data.js';
import { AI_CONTACT_DATA } from './contact-data.js';
import { AI_CONTENT_QUEUE } from './content-queue.js';
import { AI_CONTENT_DATA_CLASSES, AI_CONTENT_RECORDS } from './content-records.js';
import { OPENAI_PROVIDER } from './model.js';
import { AI_REPLIES_QUEUE } from './queue.js';
import { AI_DATA_CLASSES, AI_RECORDS } from './records.js';
import { AI_SETTINGS_DATA_CLASSES, AI_SETTINGS_RECORDS } from './settings-records.js';
import { AI_TRIAL_DATA_CLASSES, AI_TRIAL_RECORDS } from './trial-records.js';

/**
 * The AI agent (docs/ai-agent.md): the merchant's versioned settings and knowledge base, the
 * grounding tools over the business's own data, the model client, and the inference step that
 * answers inbound messages or hands the conversation to a person.
 *
 * Where each part goes:
 * - records / dataClasses: settings + knowledge (settings-records.ts) here; the responder state
 *   and reply records (records.ts) are spread in after them.
 * - queues: the `ai-replies` queue (queue.ts) with its consumer functions/workers/ai-replies.ts,
 *   and the `ai-content` queue (content-queue.ts) with functions/workers/ai-content.ts.
 * - api.access: the settings, knowledge and resume routes (GetItem/PutItem/Query/DeleteItem).
 */
export const aiArea = defineArea({
  name: 'ai',
  providers: [OPENAI_PROVIDER],
  records: {
    ...AI_SETTINGS_RECORDS,
    ...AI_RECORDS,
    // The trial in the sandbox simulator (trial.ts): one item per business.
    ...AI_TRIAL_RECORDS,
    // Drafts of campaign messages and ad texts written on request (content.ts).
    ...AI_CONTENT_RECORDS,
  },
  dataClasses: [...AI_SETTINGS_DATA_CLASSES, ...AI_DATA_CLASSES, ...AI_TRIAL_DATA_CLASSES, ...AI_CONTENT_DATA_CLASSES],
  // Content on request's drafts are written off the API by their own worker (content-queue.ts).
  queues: [AI_REPLIES_QUEUE, AI_CONTENT_QUEUE],
  // The agent's outcome per customer message (sealed citations), exported and erased with the contact.
  contactData: AI_CONTACT_DATA,
  // The settings' versions and the knowledge base, in the account export.
  businessData: AI_BUSINESS_DATA,
  // Settings: Query for the version in force and the history, PutItem (conditional) for a new
  // version. Knowledge: Query for the list, PutItem to add, UpdateItem (patch) to rewrite,
  // DeleteItem to remove.
  // The resume route rewrites the responder (PutItem); the sandbox simulator's route hands
  // each simulated customer message to the agent (`ai-replies`).
  // Content on request (functions/api/routes/ai-content.ts) keeps each draft asked for
  // `writing` and hands it to its worker (`ai-content`): the API never calls the model.
  api: {
    access: { table: ['GetItem', 'PutItem', 'Query', 'DeleteItem', 'UpdateItem'], sends: ['ai-replies', 'ai-content'] },
  },
});
