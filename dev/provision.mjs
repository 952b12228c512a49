// Runs before `npm test` (npm's pretest): finds what the tests need beyond Node — Chromium (Playwright
// e2e, bench:pages) and `redis-server` (the shared-store contract tests, the two-instance e2e stack) —
// and installs what is missing: Debian's packages with apt-get when this runs as root or with
// passwordless sudo, else Playwright's own Chromium download; otherwise it stops at once and names the
// exact command. Plain JavaScript with no dependencies of its own (any Node can run it), silent and fast
// when everything is present. playwright.config.ts, tests/support/redis-server.ts, e2e/stacks.ts and
// the benchmarks use findChromium/findRedisServer from here, so they pick exactly what this found.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Debian's Chromium, where its package puts it (`chromium`; Ubuntu's older `chromium-browser`). */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

/** An executable regular file (a directory has an x bit too; a missing or plain file is refused). */
function isExecutableFile(path) {
  try {
    if (!statSync(path).isFile()) return false
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** `name` on PATH, as the shell would find it; a name with a slash is taken as a path. */
function onPath(name, env) {
  if (name.includes('/')) return isExecutableFile(name) ? name : undefined
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutableFile(join(dir, name))) return join(dir, name)
  }
  return undefined
}

/** Where Playwright keeps its own Chromium build (it honours PLAYWRIGHT_BROWSERS_PATH), if installed. */
function playwrightChromium(env) {
  const saved = process.env.PLAYWRIGHT_BROWSERS_PATH
  try {
    // Playwright reads PLAYWRIGHT_BROWSERS_PATH from process.env when it computes the path.
    if (env.PLAYWRIGHT_BROWSERS_PATH === undefined) delete process.env.PLAYWRIGHT_BROWSERS_PATH
    else process.env.PLAYWRIGHT_BROWSERS_PATH = env.PLAYWRIGHT_BROWSERS_PATH
    const path = createRequire(import.meta.url)('@playwright/test').chromium.executablePath()
    return isExecutableFile(path) ? path : undefined
  } catch {
    return undefined // Playwright not installed yet (before `npm install`), or no build for this platform
  } finally {
    if (saved === undefined) delete process.env.PLAYWRIGHT_BROWSERS_PATH
    else process.env.PLAYWRIGHT_BROWSERS_PATH = saved
  }
}

/**
 * The Chromium the tests use: CHROMIUM_PATH when set (it must be an executable file — a wrong one is
 * an error, never silently passed over), else Debian's, else Playwright's own build.
 * PROVISION_TEST_CHROMIUM_CANDIDATES replaces the Debian paths; it exists only for tests/provision.test.ts.
 * @returns {{ path: string, source: string } | { problem: string } | undefined}
 */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    return isExecutableFile(env.CHROMIUM_PATH)
      ? { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' }
      : { problem: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file: point it at a Chromium binary, or unset it.` }
  }
  const candidates = env.PROVISION_TEST_CHROMIUM_CANDIDATES ? env.PROVISION_TEST_CHROMIUM_CANDIDATES.split(delimiter) : SYSTEM_CHROMIUM
  const system = candidates.find(isExecutableFile)
  if (system) return { path: system, source: 'system' }
  const own = playwrightChromium(env)
  return own ? { path: own, source: 'playwright' } : undefined
}

/**
 * The Redis server the tests start: REDIS_SERVER_BIN when set (a path, or a name looked up on PATH; a
 * wrong one is an error), else `redis-server` on PATH.
 * @returns {{ path: string, source: string } | { problem: string } | undefined}
 */
export function findRedisServer(env = process.env) {
  if (env.REDIS_SERVER_BIN) {
    const path = onPath(env.REDIS_SERVER_BIN, env)
    return path
      ? { path, source: 'REDIS_SERVER_BIN' }
      : { problem: `REDIS_SERVER_BIN=${env.REDIS_SERVER_BIN} is not an executable file: point it at a redis-server binary, or unset it.` }
  }
  const path = onPath('redis-server', env)
  return path ? { path, source: 'PATH' } : undefined
}

/** What a test or benchmark that needs it says when it is missing. */
function required(found, what) {
  if (found && 'path' in found) return found.path
  throw new Error(
    found?.problem ?? `No ${what} on this machine: run \`node dev/provision.mjs\` (\`npm test\` runs it first), which installs it or names the command.`,
  )
}
/** findChromium's path, or an Error saying what to do. */
export const requireChromium = (env = process.env) => required(findChromium(env), 'Chromium')
/** findRedisServer's path, or an Error saying what to do. */
export const requireRedisServer = (env = process.env) => required(findRedisServer(env), 'redis-server')

/** The commands a person runs when this cannot install for them. */
function instructions(missing, hasApt) {
  const packages = missing.map((m) => m.package).join(' ')
  const lines = []
  if (hasApt) lines.push(`  sudo apt-get update && sudo apt-get install -y ${packages}`)
  for (const m of missing) {
    if (m.package === 'chromium') {
      lines.push(
        `  ${hasApt ? 'or, for Chromium only: ' : ''}npx playwright install chromium      (Playwright's own build; or set CHROMIUM_PATH to a Chromium binary)`,
      )
    } else if (!hasApt) {
      lines.push('  install a Redis server with your package manager (macOS: brew install redis), or set REDIS_SERVER_BIN to a redis-server binary')
    }
  }
  if (hasApt && missing.some((m) => m.package === 'redis-server')) lines.push('  (or set REDIS_SERVER_BIN to a redis-server binary you have)')
  return lines.join('\n')
}

function run(command, args, env, options = {}) {
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'], ...options })
  return !result.error && result.status === 0
}

function main(env) {
  const say = (line) => console.error(`[provision] ${line}`)
  const fail = (message) => {
    console.error(`[provision] ${message}`)
    process.exit(1)
  }
  const probe = () => ({ chromium: findChromium(env), redis: findRedisServer(env) })

  let found = probe()
  // A variable that names something wrong is the operator's to fix: installing would not change what
  // the tests then use (the variable wins), so say which one and stop.
  const problems = [found.chromium, found.redis].filter((f) => f && 'problem' in f).map((f) => f.problem)
  if (problems.length > 0) fail(problems.join('\n[provision] '))

  const missingNow = () => [
    ...(found.chromium ? [] : [{ name: 'Chromium', package: 'chromium' }]),
    ...(found.redis ? [] : [{ name: 'a Redis server', package: 'redis-server' }]),
  ]
  let missing = missingNow()
  if (missing.length === 0) return // the common case: nothing to say

  const what = missing.map((m) => m.name).join(' and ')
  const aptGet = onPath('apt-get', env)
  const id = onPath('id', env)
  const uid = id ? Number(spawnSync(id, ['-u'], { env, encoding: 'utf8' }).stdout?.trim()) : process.getuid?.()
  const sudo = uid === 0 ? undefined : onPath('sudo', env)
  const canSudo = sudo !== undefined && run(sudo, ['-n', 'true'], env, { stdio: 'ignore' })

  if (aptGet && (uid === 0 || canSudo)) {
    const packages = missing.map((m) => m.package)
    say(`the tests need ${what}: installing ${packages.join(' ')} (Debian packages${uid === 0 ? '' : ', with sudo'})`)
    // A fresh image has no package lists; `install` alone would find nothing.
    const apt = (args) =>
      uid === 0 ? run(aptGet, args, { ...env, DEBIAN_FRONTEND: 'noninteractive' }) : run(sudo, ['-n', 'DEBIAN_FRONTEND=noninteractive', aptGet, ...args], env)
    if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', ...packages])) {
      fail(`apt-get could not install ${packages.join(' ')}. Install them yourself:\n${instructions(missing, true)}`)
    }
    // (Debian's redis-server may start a system Redis on 6379; the tests start their own on other ports.)
  } else if (missing.length === 1 && missing[0].package === 'chromium' && onPath('npx', env)) {
    // No root: Playwright's own Chromium goes into the user's cache (PLAYWRIGHT_BROWSERS_PATH).
    say('the tests need Chromium: no root or passwordless sudo for apt-get, so downloading Playwright’s own build (npx playwright install chromium)')
    if (!run(onPath('npx', env), ['playwright', 'install', 'chromium'], env, { timeout: 10 * 60_000 })) {
      fail(`Playwright could not download Chromium. Install it yourself:\n${instructions(missing, Boolean(aptGet))}`)
    }
  } else {
    const why = aptGet ? `installing ${missing.length > 1 ? 'them' : 'it'} needs root or passwordless sudo` : 'this is not a Debian system (no apt-get)'
    fail(`the tests need ${what}, which this machine lacks, and ${why}. Run:\n${instructions(missing, Boolean(aptGet))}`)
  }

  found = probe()
  missing = missingNow()
  if (missing.length > 0)
    fail(`still no ${missing.map((m) => m.name).join(' or ')} after installing. Install it yourself:\n${instructions(missing, Boolean(aptGet))}`)
  say(`Chromium: ${found.chromium.path}; redis-server: ${found.redis.path}`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.env)
