import nextVitals from 'eslint-config-next/core-web-vitals'
import nextTs from 'eslint-config-next/typescript'
import { defineConfig, globalIgnores } from 'eslint/config'

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    '.next/**',
    'node_modules/**',
    '.data/**',
    'test-results/**',
    'playwright-report/**',
    'next-env.d.ts',
    '.ci/**',
    'sanity.types.ts',
    '.sanity/**',
    'functions/**/.build/**',
  ]),
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Product code must never reach for the local stand-ins.
    files: ['app/**', 'lib/**', 'functions/**', 'sanity.blueprint.ts', 'proxy.ts', 'instrumentation.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/dev/**', '@/dev/**'], message: 'Product code must not import the local stand-ins in dev/.' }] },
      ],
    },
  },
])
