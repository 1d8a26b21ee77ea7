import { defineConfig } from 'vitest/config';

// Inside the Plexus monorepo, tests run against the TypeScript sources of workspace packages
// (the '@plexus/source' export condition), so no build is needed first.
const conditions = ['@plexus/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    // The conformance suite's float64 second-derivative checks take seconds on a busy 2-core
    // machine; vitest's default 5 s would fail them for being slow, not wrong.
    testTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
