import { defineConfig } from '@playwright/test'
import { requireChromium } from './dev/provision.mjs'
import { stackEnv, stacks, type ProviderName } from './e2e/stacks'

// e2e runs the production build once per identity provider, each with its own ports and stand-ins,
// so a running `npm run dev` is never disturbed. Select some with E2E_PROVIDERS=local,okta.

const all = Object.keys(stacks) as ProviderName[]
const selected = process.env.E2E_PROVIDERS ? (process.env.E2E_PROVIDERS.split(',') as ProviderName[]).filter((p) => all.includes(p)) : all
const appUrl = (name: ProviderName) => `http://localhost:${stacks[name].app}`

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
    trace: 'retain-on-failure',
    launchOptions: {
      // CHROMIUM_PATH, Debian's, or Playwright's own: what `npm test`'s provisioning step found or installed.
      executablePath: requireChromium(),
      // This machine has no internet: keep Chromium from phoning home at start.
      args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: selected.map((name) => ({
    name,
    // e2e/all/ runs in every provider project; providers/<name> and sync/ only in their own.
    ...(name === 'local'
      ? { testIgnore: /(providers|sync|cluster|scale)\// }
      : name === 'sync' || name === 'functions' || name === 'cluster' || name === 'scale'
        ? // The functions stack runs the sync specs in the other sync runtime.
          { testMatch: new RegExp(`${name === 'functions' ? 'sync' : name}/.*\\.spec\\.ts$`) }
        : { testMatch: new RegExp(`(providers/${name}|all/.*)\\.spec\\.ts$`) }),
    use: { baseURL: appUrl(name) },
  })),
  webServer: selected.flatMap((name) => [
    ...(stacks[name].extraServers ?? []).map((server) => ({
      command: server.command,
      ...(server.url ? { url: server.url } : { port: server.port }),
      timeout: 120_000,
      reuseExistingServer: false,
      env: { ...stackEnv(name), ...server.env },
    })),
    {
      // A fresh lake file every run; the seed is loaded on first start.
      command: `${stacks[name].setup ? `${stacks[name].setup} && ` : ''}rm -rf .data/e2e-${name} && node dev/stack.ts -- next start`,
      url: `${appUrl(name)}/sign-in`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe' as const,
      env: stackEnv(name),
    },
  ]),
})
