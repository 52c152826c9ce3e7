import { describe, expect, it } from 'vitest';
import { maskSourceAddress } from '../src/audit/source-address.js';

describe('maskSourceAddress', () => {
  it('keeps the first two octets of IPv4', () => {
    expect(maskSourceAddress('85.105.12.34')).toBe('85.105.x.x');
    expect(maskSourceAddress('::ffff:85.105.12.34')).toBe('85.105.x.x');
  });

  it('keeps the first three groups of IPv6, expanded', () => {
    expect(maskSourceAddress('2a02:e0:1234:5678::1')).toBe('2a02:e0:1234:x:x:x:x:x');
    expect(maskSourceAddress('2001:db8::1')).toBe('2001:db8:0:x:x:x:x:x');
    expect(maskSourceAddress('::1')).toBe('0:0:0:x:x:x:x:x');
  });

  it('stores nothing for what is not an address', () => {
    expect(maskSourceAddress('not an address')).toBeUndefined();
    expect(maskSourceAddress(undefined)).toBeUndefined();
  });
});
