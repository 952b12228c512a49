import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { withGeneratedTables } from '@/dev/readme-tables'

// README's provider, sync-target, webhook and dimension tables are generated from the registries.

it('README’s generated tables match the registries (run `npm run docs:tables`)', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8')
  expect(withGeneratedTables(readme)).toBe(readme)
})
