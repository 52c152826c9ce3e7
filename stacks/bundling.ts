/**
 * How every Lambda is bundled, declared once: the stacks hand these to SST, and the
 * benchmarks bundle with the same settings to measure size and cold init.
 *
 * Minified ESM with the AWS SDK bundled in (tree-shaken, at the version we test with) rather
 * than the runtime's copy: one file to load, nothing resolved from disk at cold start.
 */
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
