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
