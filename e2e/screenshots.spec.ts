import { expect, test } from '@playwright/test'
import { signInAndReturn } from './support'

// README's screenshots (docs/screenshots/). Not a test: runs only with UPDATE_SCREENSHOTS=1, e.g.
//   UPDATE_SCREENSHOTS=1 E2E_PROVIDERS=local npx playwright test e2e/screenshots.spec.ts

test.skip(!process.env.UPDATE_SCREENSHOTS, 'set UPDATE_SCREENSHOTS=1 to refresh docs/screenshots')
test.use({ viewport: { width: 1440, height: 900 } })

const shot = (name: string) => ({ path: `docs/screenshots/${name}.png` })

test('home, signed out', async ({ page }) => {
  await page.goto('/')
  await page.screenshot(shot('home-signed-out'))
})

test('a doc with code, callouts and a table, as alice', async ({ page }) => {
  await signInAndReturn(page, 'alice', '/docs/partner-onboarding')
  await page.screenshot(shot('doc-partner-onboarding'))
  await page.goto('/docs/webhook-signatures')
  await page.getByRole('heading', { name: 'Node.js' }).scrollIntoViewIfNeeded()
  await page.screenshot(shot('doc-code'))
})

test('dark theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await signInAndReturn(page, 'carol', '/docs/acme-runbook')
  await page.screenshot(shot('doc-dark'))
})

test('locked teaser (403) for bob', async ({ page }) => {
  await signInAndReturn(page, 'bob', '/docs/enterprise-sso')
  await expect(page.getByTestId('locked-teaser')).toBeVisible()
  await page.screenshot(shot('locked-teaser'))
})

test('section page and phone drawer', async ({ page }) => {
  await signInAndReturn(page, 'mallory', '/sections/api-reference')
  await page.screenshot(shot('section'))
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/docs/getting-started')
  await page.getByTestId('sidebar-toggle').click()
  await page.waitForTimeout(500) // the drawer slides in
  await page.screenshot(shot('phone-drawer'))
})
