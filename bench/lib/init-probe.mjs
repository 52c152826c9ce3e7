// Runs in a fresh Node process: imports one bundle as Lambda's runtime does at a cold start and
// prints how long that took. Init must not touch the network, so any socket it opens is refused
// and reported.
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const blocked = [];
net.Socket.prototype.connect = function refuse(...args) {
  // net.connect() passes its normalised arguments as one array.
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  blocked.push(typeof target === 'object' ? `${target?.host ?? target?.path}:${target?.port ?? ''}` : String(target));
  throw new Error('network refused during init');
};

const start = performance.now();
const loaded = await import(pathToFileURL(process.argv[2]).href);
const ready = performance.now();

const report = {
  importMs: ready - start,
  readyMs: ready,
  handler: typeof loaded.handler,
  node: process.version,
  blocked,
};
// Exit as soon as the report is out: whatever init scheduled must not keep the process alive.
process.stdout.write(JSON.stringify(report), () => process.exit(0));
