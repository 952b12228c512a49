// Starts the embedded defaults (lake + IdP + `next start`) on their own ports for a benchmark.
import { spawn, type ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { localDefaults } from '../../lib/config/defaults.ts'

/** `env`: what the app was started with (a second instance of the same stack starts with it too); `pid`: dev/stack.ts. */
export type BenchStack = { appUrl: string; lakeUrl: string; idpUrl: string; env: Record<string, string>; pid: number | undefined; stop(): void }

export async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return
    await sleep(100)
  }
  throw new Error(`${url} did not come up`)
}

export async function startBenchStack(name: string, ports: { app: number; idp: number; lake: number }, env: Record<string, string> = {}): Promise<BenchStack> {
  const dataDir = `.data/bench-${name}`
  await rm(dataDir, { recursive: true, force: true })
  const appUrl = `http://localhost:${ports.app}`
  const stackEnv: Record<string, string> = {
    APP_BASE_URL: appUrl,
    LOCAL_IDP_URL: `http://localhost:${ports.idp}`,
    LOCAL_LAKE_URL: `http://localhost:${ports.lake}`,
    LOCAL_LAKE_DATA_FILE: `${dataDir}/lake.ndjson`,
    LOCAL_IDP_KEYS_FILE: `${dataDir}/idp-keys.json`,
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef-0123456789',
    SANITY_WEBHOOK_SECRET_ACCESS: 'bench-access-webhook-secret',
    SANITY_WEBHOOK_SECRET_LOCAL: 'bench-local-webhook-secret',
    NEXT_TELEMETRY_DISABLED: '1',
    // A benchmark is one client flooding on purpose: no rate limit may shape what it measures.
    RATE_LIMIT_SEARCH: '0',
    RATE_LIMIT_MCP: '0',
    RATE_LIMIT_MCP_TOOL_CALLS: '0',
    RATE_LIMIT_MD: '0',
    RATE_LIMIT_LLMS_FULL: '0',
    RATE_LIMIT_NOT_FOUND: '0',
    RATE_LIMIT_BAD_TOKENS: '0',
    ...env,
  }
  const child: ChildProcess = spawn('node', ['dev/stack.ts', '--', 'next', 'start'], {
    env: { ...process.env, ...stackEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const stop = () => void child.kill('SIGTERM')
  process.on('exit', stop)
  await waitFor(`${appUrl}/sign-in`)
  return { appUrl, lakeUrl: `http://localhost:${ports.lake}`, idpUrl: `http://localhost:${ports.idp}`, env: stackEnv, pid: child.pid, stop }
}

/** Sets a memberProfile's roles in the lake, as an editor publishing it in the Studio would. */
export async function publishRoles(stack: BenchStack, profileId: string, keys: string[]): Promise<void> {
  const response = await fetch(`${stack.lakeUrl}/v2025-02-19/data/mutate/production`, {
    method: 'POST',
    headers: { authorization: `Bearer ${localDefaults.lakeWriteToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      mutations: [{ patch: { id: profileId, set: { roles: keys.map((key) => ({ _type: 'reference', _ref: `accessRole.${key}`, _key: key })) } } }],
    }),
  })
  if (!response.ok) throw new Error(`publish failed: ${response.status}`)
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
