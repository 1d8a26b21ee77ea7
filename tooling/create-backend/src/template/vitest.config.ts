import { defineConfig } from 'vitest/config';

// Inside the Plexus monorepo, tests run against the TypeScript sources of workspace packages
// (the '@plexus/source' export condition), so no build is needed first.
const conditions = ['@plexus/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
