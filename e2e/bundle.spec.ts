import { expect, test } from '@playwright/test'
import { signInAndReturn } from './support'

test('only the configured provider’s client code reaches the browser', async ({ page }) => {
  const scripts: string[] = []
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') scripts.push(await response.text().catch(() => ''))
  })
  await page.goto('/sign-in?returnTo=/')
  await signInAndReturn(page, 'alice', '/docs/partner-onboarding')
  await page.goto('/')
  expect(scripts.length).toBeGreaterThan(0)
  const loaded = scripts.join('\n')
  // Markers of the other SDKs' browser code: Descope's web component and Clerk's React SDK.
  expect(loaded).not.toContain('descope-wc')
  expect(loaded).not.toContain('@clerk/')
  expect(loaded).toContain('sign-in-link') // the local provider's own sign-in link is there
})

test('code is highlighted on the server: no highlighter, grammar or theme reaches the browser', async ({ page }) => {
  const scripts: string[] = []
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') scripts.push(await response.text().catch(() => ''))
  })
  await page.goto('/docs/webhook-signatures')
  await expect(page.locator('pre.shiki').first()).toBeVisible()
  // Client-side navigation to another page with code loads its RSC payload, not a highlighter.
  await page.getByTestId('sidebar').getByRole('link', { name: 'Authentication' }).click()
  await expect(page.locator('pre.shiki').first()).toBeVisible()
  const loaded = scripts.join('\n')
  expect(scripts.length).toBeGreaterThan(0)
  for (const marker of ['createHighlighter', 'github-dark-default', 'shikijs', 'tokenizeLine', 'oniguruma']) expect(loaded, marker).not.toContain(marker)
})
