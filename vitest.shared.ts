import { defineConfig } from 'vitest/config';

// One vitest config for every package (each package's vitest.config.ts re-exports it).
// Tests run against the TypeScript sources of workspace packages (the '@plexus/source' export
// condition), so no build is needed before testing.
const conditions = ['@plexus/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.mjs'],
    // CI machines have 2 cores; generous limits keep slow-but-correct tests from flaking.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
