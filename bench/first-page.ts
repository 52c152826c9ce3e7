import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { NODE, REPO_ROOT } from './lib/paths.js';
import { check, type GoalCheck, valueGoal } from './lib/report.js';

const run = promisify(execFile);

export const WEB_ROOT = join(REPO_ROOT, 'packages/web');

/** The JavaScript a first visit downloads before any page's own code, gzipped. */
export const FIRST_PAGE_JS_GOAL_KB = 200;
/** The styles the first page waits for (render-blocking), gzipped: all of Mantine's was 35 KB. */
export const FIRST_PAGE_CSS_GOAL_KB = 25;

/** What `index.html` makes the browser fetch: the entry, the chunks it preloads, the styles. */
export interface PageAssets {
  /** The entry script first, then every `<link rel="modulepreload">`, in document order. */
  scripts: string[];
  styles: string[];
}

const attribute = (tag: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find(Boolean);

/**
 * Reads the scripts and styles a built `index.html` loads up front (module entry scripts,
 * module preloads, stylesheets). Addresses stay as written (`/assets/index-x.js`).
 *
 * @example
 * pageAssets('<script type="module" src="/assets/index-a.js"></script>').scripts // ['/assets/index-a.js']
 */
export function pageAssets(html: string): PageAssets {
  const entries: string[] = [];
  const preloads: string[] = [];
  const styles: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel')?.toLowerCase();
    if (tag.toLowerCase().startsWith('<script')) {
      const src = attribute(tag, 'src');
      if (src && attribute(tag, 'type') === 'module') entries.push(src);
    } else if (rel === 'modulepreload') {
      const href = attribute(tag, 'href');
      if (href) preloads.push(href);
    } else if (rel === 'stylesheet') {
      const href = attribute(tag, 'href');
      if (href) styles.push(href);
    }
  }
  return { scripts: [...entries, ...preloads], styles };
}

export interface Asset {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Bytes as written and gzipped (zlib's default level, as servers and CDNs compress). */
async function measureAsset(dist: string, address: string): Promise<Asset> {
  if (/^(?:[a-z]+:)?\/\//i.test(address)) throw new Error(`index.html loads ${address} from elsewhere`);
  const content = await readFile(join(dist, address.replace(/^\//, '')));
  return { file: address.replace(/^\/?assets\//, ''), bytes: content.length, gzipBytes: gzipSync(content).length };
}

export interface FirstPageResult {
  /** Which build was measured. */
  build: string;
  scripts: Asset[];
  styles: Asset[];
  js: { bytes: number; gzipBytes: number; check: GoalCheck };
  css: { bytes: number; gzipBytes: number; check: GoalCheck };
}

const total = (assets: Asset[]) => ({
  bytes: assets.reduce((sum, asset) => sum + asset.bytes, 0),
  gzipBytes: assets.reduce((sum, asset) => sum + asset.gzipBytes, 0),
});

/** Measures a built app: what its index.html loads before any page's code. */
export async function measureFirstPage(dist: string, build: string): Promise<FirstPageResult> {
  const assets = pageAssets(await readFile(join(dist, 'index.html'), 'utf8'));
  if (assets.scripts.length === 0) throw new Error(`no module script in ${join(dist, 'index.html')}`);
  const scripts = await Promise.all(assets.scripts.map((address) => measureAsset(dist, address)));
  const styles = await Promise.all(assets.styles.map((address) => measureAsset(dist, address)));
  const js = total(scripts);
  const css = total(styles);
  return {
    build,
    scripts,
    styles,
    js: { ...js, check: check(valueGoal('≤', FIRST_PAGE_JS_GOAL_KB, 'KB gzip'), { value: js.gzipBytes / 1024 }) },
    css: { ...css, check: check(valueGoal('≤', FIRST_PAGE_CSS_GOAL_KB, 'KB gzip'), { value: css.gzipBytes / 1024 }) },
  };
}

/**
 * The first page's weight, measured on a production build made for the purpose in a temporary
 * folder: what ships, not whatever `packages/web/dist` holds (a build started from a test run
 * may have been React's development one; `npm start` may be serving it, so it is left alone).
 */
export async function benchFirstPage(): Promise<FirstPageResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'asistone-bench-web-'));
  try {
    try {
      await run(
        NODE,
        [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir],
        {
          cwd: WEB_ROOT,
          env: { ...process.env, NODE_ENV: 'production' },
          timeout: 300_000,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`the web app did not build: ${`${stderr}\n${stdout}`.trim().split('\n').slice(-5).join(' | ')}`);
    }
    return await measureFirstPage(outDir, 'a fresh production build');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
