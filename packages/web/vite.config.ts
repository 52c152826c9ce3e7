import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Matches a module inside one of the named packages (a path separator after the name). */
const inPackages = (...names: string[]) => new RegExp(`[\\\\/]node_modules[\\\\/](?:${names.join('|')})[\\\\/]`);

/**
 * Libraries get chunks of their own, named after them, so a release that changes only the app
 * leaves their files (and their content hashes) alone and browsers keep them cached. Mantine
 * and its helpers are split by use: what the first page needs (`$initial`) is one chunk; the
 * components only some pages use travel with those pages.
 */
const VENDOR_CHUNKS = [
  {
    name: 'react',
    test: inPackages('react', 'react-dom', 'scheduler', 'react-router', 'cookie-es', '@remix-run[\\\\/]route-pattern'),
    priority: 40,
  },
  {
    name: 'mantine',
    test: inPackages(
      '@mantine[\\\\/](?:core|hooks|store)',
      '@floating-ui[\\\\/][^\\\\/]+',
      'clsx',
      'react-remove-scroll',
      'react-remove-scroll-bar',
      'react-style-singleton',
      'use-callback-ref',
      'use-sidecar',
      'get-nonce',
      'tslib',
      'react-number-format',
      'tabbable',
    ),
    tags: ['$initial' as const],
    priority: 30,
  },
  { name: 'i18n', test: inPackages('i18next', 'react-i18next', 'html-parse-stringify', 'void-elements'), priority: 20 },
  { name: 'query', test: inPackages('@tanstack[\\\\/](?:query-core|react-query)'), priority: 20 },
  // The API contract's schemas: loaded with the pages that validate forms, not by the first page.
  { name: 'zod', test: inPackages('zod'), priority: 20 },
];

/** Mantine's class names (`m_1b7284a3`) and keyframe names: every one is defined by its CSS file. */
const MANTINE_NAME = /"(m_[0-9a-f]+)"/g;
const MANTINE_STYLES = /[\\/]node_modules[\\/]@mantine[\\/]([^\\/]+)[\\/]esm[\\/](?:.*[\\/])?(\w+)\.module\.mjs$/;

/**
 * The app imports Mantine's CSS per component (src/app/app.css) rather than all of it. This
 * fails the build when a component in the bundle has no styles in the emitted CSS, naming the
 * file to import, so a new component cannot ship unstyled.
 */
function mantineStylesComplete(): Plugin {
  return {
    name: 'asistone:mantine-styles-complete',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.values(bundle);
      const css = files
        .filter((file) => file.type === 'asset' && file.fileName.endsWith('.css'))
        .map((file) => (file.type === 'asset' ? String(file.source) : ''))
        .join('\n');
      const missing = new Set<string>();
      for (const chunk of files) {
        if (chunk.type !== 'chunk') continue;
        for (const id of Object.keys(chunk.modules)) {
          const styles = MANTINE_STYLES.exec(id);
          if (!styles) continue;
          const names = [...readFileSync(id, 'utf8').matchAll(MANTINE_NAME)].map((match) => match[1]!);
          if (names.every((name) => new RegExp(`${name}(?![0-9a-f])`).test(css))) continue;
          const [, pkg, component] = styles;
          missing.add(pkg === 'core' ? `@mantine/core/styles/${component}.css` : `@mantine/${pkg}/styles.css`);
        }
      }
      if (missing.size > 0) {
        this.error(
          `Mantine components without their styles; import in src/app/app.css: ${[...missing].sort().join(', ')}`,
        );
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), mantineStylesComplete()],
  // SST v2 brings React 18 into the root node_modules; the app must use its own React 19.
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Vite 8 bundles with rolldown: `codeSplitting` is its chunking option (`advancedChunks` and
    // `manualChunks` are deprecated aliases of it; `rollupOptions` of `rolldownOptions`).
    rolldownOptions: { output: { codeSplitting: { groups: VENDOR_CHUNKS } } },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/webhooks': 'http://localhost:3000' } },
});
