import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** The sync contract, abuse and fault tests, run once per runtime (tests/support/sync-env.ts). */
const SYNC_CONTRACT = ['tests/sync.test.ts', 'tests/sync-*.test.ts']

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./', import.meta.url)),
      // `server-only` throws outside React Server Components; unit tests run plain Node.
      'server-only': fileURLToPath(new URL('./tests/support/server-only.ts', import.meta.url)),
      // `'use cache'` is not compiled here: cacheTag/cacheLife/revalidateTag are recorded instead.
      'next/cache': fileURLToPath(new URL('./tests/support/next-cache.ts', import.meta.url)),
    },
  },
  test: {
    exclude: ['e2e/**', 'node_modules/**'],
    environment: 'node',
    // Structured logs of passing tests are noise; a failing test still shows its output.
    silent: 'passed-only',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'] } },
      { extends: true, test: { name: 'sync:functions', include: SYNC_CONTRACT, env: { SYNC_TEST_RUNTIME: 'functions' } } },
    ],
  },
})
