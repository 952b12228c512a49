import { spawn } from 'node:child_process'
import { expect, test } from '@playwright/test'

// With the content service down, a reader gets a helpful page with a 5xx status — not a blank 500.
// Its own server on a free port, pointed at a lake that does not answer.

test('a Sanity outage shows the “temporarily unavailable” page with a 5xx status', async ({ request, page }) => {
  const port = 3198
  const server = spawn('node_modules/.bin/next', ['start', '-p', String(port)], {
    env: {
      ...process.env,
      PORT: String(port),
      LOCAL_LAKE_URL: 'http://localhost:1',
      SESSION_SECRET: 'outage-test-session-secret-0123456789abcdef',
      NEXT_TELEMETRY_DISABLED: '1',
    },
    stdio: 'ignore',
  })
  try {
    await expect(async () => expect((await request.get(`http://localhost:${port}/sign-in`)).status()).toBe(200)).toPass({ timeout: 30_000 })
    const response = await page.goto(`http://localhost:${port}/docs/getting-started`, { timeout: 30_000 })
    expect(response!.status()).toBeGreaterThanOrEqual(500)
    // Next sends an error page's content as RSC data; the browser renders it (error.tsx).
    await expect(page.getByTestId('site-error')).toContainText('The documentation is temporarily unavailable', { timeout: 20_000 })
  } finally {
    server.kill()
  }
})
