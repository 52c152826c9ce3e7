import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PRODUCT } from '@asistone/core/product/areas';
import { withLocalEnvironment } from '../environment.js';
import { invoke, ROOT } from '../lambda.js';

/**
 * `npm run invoke -- <function> events/<file>.json`: runs one handler once with a sample
 * event, against the local stack's data (the running `npm start`, or its files).
 */
const [name, eventFile] = process.argv.slice(2);
const target = name ? PRODUCT.fn(name) : undefined;

if (!target || !eventFile) {
  process.stderr.write(
    `usage: npm run invoke -- <function> <event.json>\nfunctions: ${PRODUCT.functions.map((fn) => fn.name).join(', ')}\n`,
  );
  process.exit(2);
}

const event = JSON.parse(await readFile(resolve(process.env.INIT_CWD ?? ROOT, eventFile), 'utf8'));
const dataDir = resolve(ROOT, process.env.ASISTONE_DATA_DIR ?? '.asistone');
const result = await withLocalEnvironment(dataDir, () =>
  invoke(target.handler, target.name, event, target.timeoutSeconds),
);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
