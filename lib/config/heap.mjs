// The heap policy of a self-hosted instance, and `npm start` (`node lib/config/heap.mjs next start …`).
// With Node's default policy V8 lets the old generation grow toward a quarter of the machine's memory
// before it collects hard: a random-slug flood took next-server to 926 MB on a 24 GB machine, though
// what the app keeps is bounded (the content cache holds 64 MB). Capped, it collects sooner and RSS
// stays under 400 MB (bench:memory measures it). Plain JavaScript: it runs before Next, on any Node.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** V8's old generation capped at 384 MB, and each young-generation semi-space at 8 MB (its share of RSS bounded too). */
export const HEAP_NODE_OPTIONS = '--max-old-space-size=384 --max-semi-space-size=8'

/**
 * NODE_OPTIONS for next-server: the heap policy first, then the operator's own NODE_OPTIONS, kept whole.
 * V8 takes the last of a repeated flag, so an operator's `--max-old-space-size=1024` wins over ours.
 * @param {string | undefined} nodeOptions
 */
export function withHeapPolicy(nodeOptions) {
  return [HEAP_NODE_OPTIONS, nodeOptions?.trim()].filter(Boolean).join(' ')
}

/** Runs `command` with the heap policy in NODE_OPTIONS, as this process's replacement where Node can. */
function main([bin, ...args]) {
  if (!bin) {
    console.error('usage: node lib/config/heap.mjs <command> [args…]   (e.g. next start -p 3000)')
    process.exit(2)
  }
  const local = join(fileURLToPath(new URL('../../node_modules/.bin/', import.meta.url)), bin)
  const file = existsSync(local) ? local : bin
  const env = { ...process.env, NODE_OPTIONS: withHeapPolicy(process.env.NODE_OPTIONS) }
  // Node ≥ 22.15: become next-server (no parent process holding memory, signals straight to it).
  if (typeof process.execve === 'function' && file.includes('/')) process.execve(file, [file, ...args], env)
  const child = spawn(file, args, { stdio: 'inherit', env })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2))
