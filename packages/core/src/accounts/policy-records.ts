import { POLICY_DOCUMENTS } from '@asistone/contract/policies';
import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

/**
 * What a person accepted of the terms and the privacy policy, and which published versions were
 * mailed to them. Both live in the person's own partition under the accounts tenant, next to
 * their sessions and recovery codes, and hold nothing but ids, versions and times. Kept apart
 * from `records.ts` so that it can list them without an import cycle.
 */

/**
 * One acceptance of one version of one document. Written once, conditionally (the key is the
 * document and version), never updated: concurrent accepts make one record, and the first
 * time stays the time of acceptance.
 */
export const PolicyAcceptanceRecord = new Entity({
  model: { entity: 'policyAcceptance', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    document: { type: POLICY_DOCUMENTS, required: true, readOnly: true },
    version: { type: 'string', required: true, readOnly: true },
    /** Epoch milliseconds. */
    acceptedAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byUser: {
      pk: { field: 'pk', composite: ['tenantId', 'userId'], template: 't#${tenantId}#user#${userId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['document', 'version'],
        template: 'policy-acceptance#${document}#${version}',
        casing: 'none',
      },
    },
  },
});

/**
 * "The mail about this version went into the queue for this person": created conditionally
 * before the mail is queued, so a rerun of `npm run policy -- publish` mails nobody twice.
 */
export const PolicyMailRecord = new Entity({
  model: { entity: 'policyMail', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    document: { type: POLICY_DOCUMENTS, required: true, readOnly: true },
    version: { type: 'string', required: true, readOnly: true },
    queuedAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byUser: {
      pk: { field: 'pk', composite: ['tenantId', 'userId'], template: 't#${tenantId}#user#${userId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['document', 'version'],
        template: 'policy-mail#${document}#${version}',
        casing: 'none',
      },
    },
  },
});

export const POLICY_RECORDS = { policyAcceptance: PolicyAcceptanceRecord, policyMail: PolicyMailRecord };

/**
 * Account data: kept while the account lives and deleted with it (`account-deletion`), not
 * kept on after it under `legal`. An acceptance proves what the person agreed to while they
 * use the product; once the account is gone nothing is processed under it any more, and a
 * record that outlived the account would keep a trace of the person (their id, when they
 * signed in) with no purpose. What each business needs to show stays in its own audit log
 * (`policy.accepted`, kept up to 3 years as system logs are), holding the same ids and version.
 */
export const POLICY_DATA_CLASSES: DataClass[] = [
  {
    name: 'accounts.policy-acceptances',
    description:
      'Which version of the terms and privacy policy each person accepted and when, and which were mailed (user ids, versions, times)',
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations(() => [
      { index: 'byTenant', skPrefix: 'policy-acceptance#' },
      { index: 'byTenant', skPrefix: 'policy-mail#' },
    ]),
  },
];
