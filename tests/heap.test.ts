// `npm start` runs next-server with the heap policy (lib/config/heap.mjs), keeping the operator's own
// NODE_OPTIONS and letting their flags win. Checked on a real child process's V8 heap limit.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HEAP_NODE_OPTIONS, withHeapPolicy } from '@/lib/config/heap.mjs'

const root = join(import.meta.dirname, '..')
const probe =
  "const v8 = require('v8'); console.log(JSON.stringify({ limitMiB: v8.getHeapStatistics().heap_size_limit / 2 ** 20, options: process.env.NODE_OPTIONS }))"

/** What a command run by the launcher sees: its V8 heap limit and NODE_OPTIONS. */
function launched(nodeOptions?: string) {
  const env = { ...process.env, NODE_OPTIONS: nodeOptions }
  if (nodeOptions === undefined) delete env.NODE_OPTIONS
  const result = spawnSync(process.execPath, ['lib/config/heap.mjs', process.execPath, '-e', probe], { cwd: root, env, encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as { limitMiB: number; options: string }
}

describe('the heap policy of `npm start`', () => {
  it('is what package.json’s start script runs next start with', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(scripts.start).toBe('node lib/config/heap.mjs next start')
  })

  it('caps the old generation at 384 MB by default (Node’s own default here is ~4 GB)', () => {
    const { limitMiB, options } = launched()
    expect(options).toBe(HEAP_NODE_OPTIONS)
    expect(limitMiB).toBeGreaterThan(384)
    expect(limitMiB).toBeLessThan(450) // old generation + the young generation's semi-spaces
  })

  it('keeps the operator’s NODE_OPTIONS, and their own heap size wins', () => {
    const { limitMiB, options } = launched('--max-old-space-size=1024 --enable-source-maps')
    expect(options).toBe(`${HEAP_NODE_OPTIONS} --max-old-space-size=1024 --enable-source-maps`)
    expect(limitMiB).toBeGreaterThan(1024)
    expect(limitMiB).toBeLessThan(1100)
  })

  it('composes without stray spaces', () => {
    expect(withHeapPolicy(undefined)).toBe(HEAP_NODE_OPTIONS)
    expect(withHeapPolicy('  ')).toBe(HEAP_NODE_OPTIONS)
    expect(withHeapPolicy(' --inspect ')).toBe(`${HEAP_NODE_OPTIONS} --inspect`)
  })
})
