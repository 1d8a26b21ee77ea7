import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of workspace packages (the '@plexus/source' export
// condition), so no build is needed before testing (the native addon is built at install).
const conditions = ['@plexus/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // One process per file: the kernels' instruction set (setCpuFeatures) is per process, and
    // the memory tests call gc().
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--expose-gc'], isolate: true } },
    testTimeout: 60_000,
  },
});
