// Starts the embedded defaults (lake + IdP + `next start`) on their own ports for a benchmark.
import { spawn, type ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

export type BenchStack = { appUrl: string; lakeUrl: string; idpUrl: string; stop(): void }

async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return
    await sleep(100)
  }
  throw new Error(`${url} did not come up`)
}

export async function startBenchStack(name: string, ports: { app: number; idp: number; lake: number }, env: Record<string, string> = {}): Promise<BenchStack> {
  const dataDir = `.data/bench-${name}`
  await rm(dataDir, { recursive: true, force: true })
  const appUrl = `http://localhost:${ports.app}`
  const child: ChildProcess = spawn('node', ['dev/stack.ts', '--', 'next', 'start'], {
    env: {
      ...process.env,
      APP_BASE_URL: appUrl,
      LOCAL_IDP_URL: `http://localhost:${ports.idp}`,
      LOCAL_LAKE_URL: `http://localhost:${ports.lake}`,
      LOCAL_LAKE_DATA_FILE: `${dataDir}/lake.ndjson`,
      LOCAL_IDP_KEYS_FILE: `${dataDir}/idp-keys.json`,
      SESSION_SECRET: 'bench-session-secret-0123456789abcdef-0123456789',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const stop = () => void child.kill('SIGTERM')
  process.on('exit', stop)
  await waitFor(`${appUrl}/sign-in`)
  return { appUrl, lakeUrl: `http://localhost:${ports.lake}`, idpUrl: `http://localhost:${ports.idp}`, stop }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}
