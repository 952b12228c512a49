import { existsSync } from 'node:fs'
import { chromium, defineConfig } from '@playwright/test'

// e2e runs the production build on its own ports, so a running `npm run dev` is never disturbed.
export const e2ePorts = { app: 3100, idp: 4100, lake: 4101 }
const appBaseUrl = `http://localhost:${e2ePorts.app}`

/** Debian's Chromium, else Playwright's own; otherwise say what to install. */
function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[]
  const found = candidates.find((path) => existsSync(path))
  if (found) return found
  if (existsSync(chromium.executablePath())) return undefined
  throw new Error(
    'No Chromium for the e2e tests. Install one of:\n' +
      '  sudo apt-get install -y chromium      (Debian/Ubuntu; found at /usr/bin/chromium)\n' +
      '  npx playwright install chromium       (Playwright’s own build)\n' +
      'or set CHROMIUM_PATH to a Chromium binary.',
  )
}

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: appBaseUrl,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumExecutable(),
      // This machine has no internet: keep Chromium from phoning home at start.
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  webServer: {
    // A fresh lake file every run; the seed is loaded on first start.
    command: 'rm -rf .data/e2e && node dev/stack.ts -- next start',
    url: `${appBaseUrl}/`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      APP_BASE_URL: appBaseUrl,
      LOCAL_IDP_URL: `http://localhost:${e2ePorts.idp}`,
      LOCAL_LAKE_URL: `http://localhost:${e2ePorts.lake}`,
      LOCAL_LAKE_DATA_FILE: '.data/e2e/lake.ndjson',
      LOCAL_IDP_KEYS_FILE: '.data/e2e/idp-keys.json',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
})
