// dev/provision.mjs (npm test's pretest step) on machines it cannot see from here: each case runs the
// real script in a sandbox — PATH holding only stubs of `id`, `sudo`, `apt-get` and `npx` that record
// their calls (nothing is ever installed), Debian's Chromium paths and Playwright's browser cache moved
// into a temp dir — so "a fresh machine without Chromium or Redis" is simulated on this one.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

type Env = Record<string, string | undefined>
/** Exactly these variables and no others (the sandbox's whole environment). */
const only = (env: Env) => env as NodeJS.ProcessEnv
const root = join(import.meta.dirname, '..')
const script = join(root, 'dev/provision.mjs')

type Sandbox = { dir: string; bin: string; log: string; chromium: string; playwrightChromium: string; env: Env }
let box: Sandbox

const stub = (path: string, body: string) => {
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
}
const executable = (path: string) => {
  mkdirSync(dirname(path), { recursive: true })
  stub(path, 'exit 0')
}

/** Where Playwright puts its own Chromium under PLAYWRIGHT_BROWSERS_PATH (asked of Playwright itself, once). */
const PLACEHOLDER = '/playwright-browsers-path'
const playwrightSuffix = spawnSync(process.execPath, ['-e', "console.log(require('@playwright/test').chromium.executablePath())"], {
  cwd: root,
  env: { ...process.env, PLAYWRIGHT_BROWSERS_PATH: PLACEHOLDER },
  encoding: 'utf8',
})
  .stdout.trim()
  .slice(PLACEHOLDER.length)
const playwrightChromiumUnder = (dir: string) => `${dir}${playwrightSuffix}`

beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-provision-'))
  const bin = join(dir, 'bin')
  const log = join(dir, 'calls.log')
  mkdirSync(bin)
  writeFileSync(log, '')
  const chromium = join(dir, 'usr/bin/chromium')
  const browsers = join(dir, 'ms-playwright')
  const playwrightChromium = playwrightChromiumUnder(browsers)
  // Each stub appends "<name> <args>" to the log. `id -u` answers STUB_UID; `sudo -n true` exits
  // STUB_SUDO; sudo otherwise runs its command (VAR=value words become its environment), as sudo does.
  stub(join(bin, 'id'), `echo "id $*" >> "$STUB_LOG"; echo "\${STUB_UID:-1000}"`)
  stub(
    join(bin, 'sudo'),
    `echo "sudo $*" >> "$STUB_LOG"
[ "$1" = -n ] && shift
[ "$1" = true ] && exit "\${STUB_SUDO:-1}"
while [ $# -gt 0 ]; do case "$1" in *=*) export "$1"; shift;; *) break;; esac; done
exec "$@"`,
  )
  // apt-get "installs" by creating the binaries where Debian's packages put them.
  stub(
    join(bin, 'apt-get'),
    `echo "apt-get $* (DEBIAN_FRONTEND=$DEBIAN_FRONTEND)" >> "$STUB_LOG"
[ "$1" = install ] || exit 0
for word in "$@"; do
  case "$word" in
    chromium) /bin/mkdir -p "${dirname(chromium)}"; printf '#!/bin/sh\\n' > "${chromium}"; /bin/chmod +x "${chromium}";;
    redis-server) printf '#!/bin/sh\\n' > "${bin}/redis-server"; /bin/chmod +x "${bin}/redis-server";;
  esac
done`,
  )
  // npx "downloads" Playwright's Chromium when STUB_NPX=0, else fails as it does offline.
  stub(
    join(bin, 'npx'),
    `echo "npx $*" >> "$STUB_LOG"
[ "\${STUB_NPX:-1}" = 0 ] || exit 1
/bin/mkdir -p "${dirname(playwrightChromium)}"; printf '#!/bin/sh\\n' > "${playwrightChromium}"; /bin/chmod +x "${playwrightChromium}"`,
  )
  const env: Env = {
    PATH: bin,
    HOME: dir,
    STUB_LOG: log,
    PLAYWRIGHT_BROWSERS_PATH: browsers,
    PROVISION_TEST_CHROMIUM_CANDIDATES: [chromium, join(dir, 'usr/bin/chromium-browser')].join(delimiter),
  }
  box = { dir, bin, log, chromium, playwrightChromium, env }
})
afterEach(() => rmSync(box.dir, { recursive: true, force: true }))

function provision(env: Env = {}) {
  const result = spawnSync(process.execPath, [script], { cwd: root, env: only({ ...box.env, ...env }), encoding: 'utf8', timeout: 20_000 })
  return { status: result.status, output: `${result.stdout}${result.stderr}`, calls: readFileSync(box.log, 'utf8').trim().split('\n').filter(Boolean) }
}

describe('dev/provision.mjs', () => {
  it('does nothing, silently, when Chromium and redis-server are present', () => {
    executable(box.chromium)
    executable(join(box.bin, 'redis-server'))
    const run = provision({ STUB_UID: '0' })
    expect(run.status).toBe(0)
    expect(run.output).toBe('')
    expect(run.calls).toEqual([]) // not even `id`
  })

  it('as root without either: apt-get update, then apt-get install of chromium and redis-server, non-interactive', () => {
    const run = provision({ STUB_UID: '0' })
    expect(run.status, run.output).toBe(0)
    expect(run.calls.filter((c) => c.startsWith('apt-get'))).toEqual([
      'apt-get update -qq (DEBIAN_FRONTEND=noninteractive)',
      'apt-get install -y -qq chromium redis-server (DEBIAN_FRONTEND=noninteractive)',
    ])
    expect(run.calls.some((c) => c.startsWith('sudo'))).toBe(false)
    expect(run.output).toContain(`Chromium: ${box.chromium}; redis-server: ${join(box.bin, 'redis-server')}`)
  })

  it('as root with Chromium present: installs only redis-server', () => {
    executable(box.chromium)
    const run = provision({ STUB_UID: '0' })
    expect(run.status, run.output).toBe(0)
    expect(run.calls).toContain('apt-get install -y -qq redis-server (DEBIAN_FRONTEND=noninteractive)')
  })

  it('not root, with passwordless sudo: checks `sudo -n true`, then installs through sudo -n', () => {
    const run = provision({ STUB_UID: '1000', STUB_SUDO: '0' })
    expect(run.status, run.output).toBe(0)
    const aptGet = join(box.bin, 'apt-get')
    expect(run.calls.filter((c) => c.startsWith('sudo'))).toEqual([
      'sudo -n true',
      `sudo -n DEBIAN_FRONTEND=noninteractive ${aptGet} update -qq`,
      `sudo -n DEBIAN_FRONTEND=noninteractive ${aptGet} install -y -qq chromium redis-server`,
    ])
    expect(run.calls).toContain('apt-get install -y -qq chromium redis-server (DEBIAN_FRONTEND=noninteractive)')
  })

  it('not root, no sudo, neither present: stops at once (no install, no download) naming the exact command', () => {
    const run = provision({ STUB_UID: '1000', STUB_SUDO: '1' })
    expect(run.status).toBe(1)
    expect(run.calls).toEqual(['id -u', 'sudo -n true'])
    expect(run.output).toContain('the tests need Chromium and a Redis server')
    expect(run.output).toContain('sudo apt-get update && sudo apt-get install -y chromium redis-server')
    expect(run.output).toContain('npx playwright install chromium')
  })

  it('not root, no sudo, only Chromium missing: downloads Playwright’s own build, which the tests then use', () => {
    executable(join(box.bin, 'redis-server'))
    const run = provision({ STUB_UID: '1000', STUB_SUDO: '1', STUB_NPX: '0' })
    expect(run.status, run.output).toBe(0)
    expect(run.calls).toContain('npx playwright install chromium')
    expect(run.calls.some((c) => c.startsWith('apt-get'))).toBe(false)
    expect(run.output).toContain(`Chromium: ${box.playwrightChromium}`)
  })

  it('not root, no sudo, the Playwright download failing (offline): exits non-zero naming the commands', () => {
    executable(join(box.bin, 'redis-server'))
    const run = provision({ STUB_UID: '1000', STUB_SUDO: '1', STUB_NPX: '1' })
    expect(run.status).toBe(1)
    expect(run.output).toContain('Playwright could not download Chromium')
    expect(run.output).toContain('sudo apt-get update && sudo apt-get install -y chromium')
  })

  it('no apt-get (not Debian), no Playwright download possible: names npx playwright and REDIS_SERVER_BIN, installs nothing', () => {
    rmSync(join(box.bin, 'apt-get'))
    rmSync(join(box.bin, 'npx'))
    const run = provision({ STUB_UID: '0' })
    expect(run.status).toBe(1)
    expect(run.output).toContain('not a Debian system')
    expect(run.output).toContain('npx playwright install chromium')
    expect(run.output).toContain('REDIS_SERVER_BIN')
    expect(run.output).not.toContain('apt-get install')
  })

  it('finds Playwright’s own Chromium when there is no Debian one', () => {
    executable(box.playwrightChromium)
    executable(join(box.bin, 'redis-server'))
    const run = provision({ STUB_UID: '0' })
    expect(run.status, run.output).toBe(0)
    expect(run.calls).toEqual([])
  })

  describe('hostile settings are named, never installed over or passed by', () => {
    it('CHROMIUM_PATH at a file that is not executable, even as root and with Debian’s Chromium present', () => {
      executable(box.chromium)
      executable(join(box.bin, 'redis-server'))
      const file = join(box.dir, 'not-chromium.txt')
      writeFileSync(file, 'hello')
      const run = provision({ STUB_UID: '0', CHROMIUM_PATH: file })
      expect(run.status).toBe(1)
      expect(run.output).toContain(`CHROMIUM_PATH=${file} is not an executable file`)
      expect(run.calls).toEqual([])
    })

    it('CHROMIUM_PATH at a directory (which has an x bit)', () => {
      executable(join(box.bin, 'redis-server'))
      const run = provision({ STUB_UID: '0', CHROMIUM_PATH: box.bin })
      expect(run.status).toBe(1)
      expect(run.output).toContain(`CHROMIUM_PATH=${box.bin} is not an executable file`)
      expect(run.calls).toEqual([])
    })

    it('REDIS_SERVER_BIN at a path that does not exist, with redis-server on PATH', () => {
      executable(box.chromium)
      executable(join(box.bin, 'redis-server'))
      const missing = join(box.dir, 'nowhere/redis-server')
      const run = provision({ STUB_UID: '0', REDIS_SERVER_BIN: missing })
      expect(run.status).toBe(1)
      expect(run.output).toContain(`REDIS_SERVER_BIN=${missing} is not an executable file`)
      expect(run.calls).toEqual([])
    })

    it('REDIS_SERVER_BIN as a bare name is looked up on PATH', () => {
      executable(box.chromium)
      executable(join(box.bin, 'my-redis'))
      expect(provision({ REDIS_SERVER_BIN: 'my-redis' }).status).toBe(0)
      expect(provision({ REDIS_SERVER_BIN: 'no-such-redis' }).status).toBe(1)
    })
  })
})

/** npm itself, as the shell finds it on the real PATH (npm-cli.js, run with this Node). */
function npmCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'npm')
    if (dir && existsSync(candidate)) return realpathSync(candidate)
  }
  return undefined
}

it('`npm test` on a machine without Chromium or Redis (not root, no sudo) stops in its pretest step, naming the command', () => {
  const npm = npmCli()
  expect(npm, 'npm on PATH').toBeDefined()
  // What any machine with only Node has besides: node itself and a shell for npm's scripts.
  symlinkSync(process.execPath, join(box.bin, 'node'))
  symlinkSync('/bin/sh', join(box.bin, 'sh'))
  const result = spawnSync(process.execPath, [npm!, 'test'], {
    cwd: root,
    env: only({ ...box.env, STUB_UID: '1000', STUB_SUDO: '1', npm_config_cache: join(box.dir, 'npm-cache') }),
    encoding: 'utf8',
    timeout: 60_000,
  })
  const output = `${result.stdout}${result.stderr}`
  expect(result.status, output).not.toBe(0)
  expect(output).toContain('sudo apt-get update && sudo apt-get install -y chromium redis-server')
  // It stopped before the test command itself (lint is its first step).
  expect(output).not.toContain('npm run lint')
  expect(readFileSync(box.log, 'utf8')).not.toMatch(/apt-get|npx/)
})
