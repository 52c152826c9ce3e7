import { describe, expect, it } from 'vitest';
import { queueUrlVariable, readConfig } from '../src/platform/config.js';
import { ConfigError } from '../src/platform/errors.js';

const valid = {
  TABLE_NAME: 'asistone-test-records',
  MEDIA_BUCKET: 'asistone-test-media',
  KEY_PROVIDER: 'kms',
  QUEUE_URL_META_EVENTS: 'https://sqs.eu-central-1.amazonaws.com/1/asistone-test-meta-events',
};

describe('readConfig', () => {
  it('reads a complete environment with defaults filled in', () => {
    const config = readConfig(valid);
    expect(config.STAGE).toBe('local');
    expect(config.DATA_KEY_CACHE_MINUTES).toBe(5);
    expect(config.queueUrl('meta-events')).toBe(valid.QUEUE_URL_META_EVENTS);
  });

  it('names every missing or invalid variable in one error', () => {
    const read = () => readConfig({ KEY_PROVIDER: 'vault', LOG_LEVEL: 'LOUD' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/TABLE_NAME.*MEDIA_BUCKET.*KEY_PROVIDER.*LOG_LEVEL/s);
  });

  it('asks for the key folder when keys are local', () => {
    expect(() => readConfig({ ...valid, KEY_PROVIDER: 'local' })).toThrow(/LOCAL_KEY_DIR is required/);
  });

  it('says which queue variable is missing when a queue URL is asked for', () => {
    const config = readConfig({ ...valid, QUEUE_URL_META_EVENTS: undefined });
    expect(() => config.queueUrl('meta-events')).toThrow('QUEUE_URL_META_EVENTS is not set');
    expect(queueUrlVariable('meta-events-dlq')).toBe('QUEUE_URL_META_EVENTS_DLQ');
  });
});
