import type { Plugin } from 'esbuild';

/**
 * How every Lambda is bundled, declared once: the stacks hand these to SST, and the
 * benchmarks bundle with the same settings to measure size and cold init.
 *
 * Minified ESM with the AWS SDK bundled in (tree-shaken, at the version we test with) rather
 * than the runtime's copy: one file to load, nothing resolved from disk at cold start.
 */
/**
 * Loads `http` and `https` through `require`. Imported as ESM, Node 22 builds a module facade
 * that reads every export, including lazy getters that load undici: about 17 ms of every cold
 * start of a function using the AWS SDK, for nothing (measured by `npm run bench`).
 */
const nodeHttpViaRequire: Plugin = {
  name: 'node-http-via-require',
  setup(build) {
    const namespace = 'node-http-via-require';
    build.onResolve({ filter: /^(node:)?https?$/ }, (args) =>
      // The shim's own require() is the real built-in.
      args.namespace === namespace
        ? { path: args.path, external: true }
        : { path: args.path.replace(/^node:/, ''), namespace },
    );
    build.onLoad({ filter: /.*/, namespace }, (args) => ({
      contents: `module.exports = require('node:${args.path}');`,
      loader: 'js',
    }));
  },
};

/**
 * Leaves out brotli, which fontkit (under pdfkit, the invoice PDFs) loads to read WOFF2 fonts:
 * invoices embed a TrueType font, so the 475 KB decompressor would ship in the API for a
 * format it never opens. Asked for anyway, it throws, naming why.
 */
const noWoff2Fonts: Plugin = {
  name: 'no-woff2-fonts',
  setup(build) {
    const namespace = 'no-woff2-fonts';
    build.onResolve({ filter: /^brotli(\/.*)?$/ }, (args) => ({ path: args.path, namespace }));
    build.onLoad({ filter: /.*/, namespace }, () => ({
      contents:
        "module.exports = function () { throw new Error('WOFF2 fonts are not bundled: embed a TrueType font'); };",
      loader: 'js',
    }));
  },
};

export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  treeShaking: true,
  sourcemap: false,
  legalComments: 'none',
  // esbuild's default, stated because SST turns it on: the deployed bundle must be the one the
  // benchmarks measure. Our errors set `name` explicitly, so logs keep readable error names.
  keepNames: false,
  mainFields: ['module', 'main'],
  // Code behind a dynamic import() (the S3 client for claim checks, the SSM client, the AWS
  // SDK's credential providers) goes to chunks of its own, compiled only when first used:
  // compiling the bundle is most of a cold start, so what init never runs must not be in it.
  splitting: true,
  outExtension: { '.js': '.mjs' },
  plugins: [nodeHttpViaRequire, noWoff2Fonts],
  // Some dependencies still call require(); ESM bundles need one in scope.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
} as const;

/** Lambda runtime and architecture for every function. */
export const LAMBDA_RUNTIME = 'nodejs22.x' as const;
export const LAMBDA_ARCHITECTURE = 'arm_64' as const;
/** Three years: the privacy policy keeps system and security logs up to 3 years. */
export const LOG_RETENTION_DAYS = 1096;
