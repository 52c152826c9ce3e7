import { describe, expect, it } from 'vitest';
import app from '../../sst.config.js';

describe('sst.config', () => {
  it('deploys to eu-central-1 under the app name asistone', () => {
    expect(app.config({ stage: 'prod' } as never)).toEqual({ name: 'asistone', region: 'eu-central-1' });
  });

  it('refuses the stage name reserved for the local stack', () => {
    expect(() => app.config({ stage: 'local' } as never)).toThrow(/reserved/);
  });
});
