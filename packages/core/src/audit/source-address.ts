import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network part of a source address, the only part ever stored: IPv4 keeps its first two
 * octets, IPv6 its first three groups (the routing prefix a provider assigns).
 *
 * @example
 * maskSourceAddress('85.105.12.34') // '85.105.x.x'
 * maskSourceAddress('2a02:e0:1234:5678::1') // '2a02:e0:1234:x:x:x:x:x'
 */
export function maskSourceAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 2).join('.')}.x.x`;
  if (isIPv6(ip)) return `${expandIPv6(ip).slice(0, 3).join(':')}:x:x:x:x:x`;
  return undefined;
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right].map((group) =>
    group.toLowerCase().replace(/^0+(?=.)/, ''),
  );
}
