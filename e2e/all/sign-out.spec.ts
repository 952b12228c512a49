import { expect, test } from '@playwright/test'
import { projectOf, signInAs, signOut, statusOf } from '../sessions'

// Signing out ends the session on the server: the cookies a browser (or a thief) kept from before
// are refused afterwards, for every provider.

test('a session cookie replayed after sign-out is refused', async ({ page, context }, info) => {
  const project = projectOf(info)
  await signInAs(page, project, 'alice')
  expect(await statusOf(page, '/account')).toBe(200)
  expect(await statusOf(page, '/docs/partner-onboarding')).toBe(200)
  const kept = await context.cookies()

  await signOut(page, project)
  expect(await statusOf(page, '/account')).toBe(307)

  // Put every cookie from before sign-out back, as an attacker who copied them would.
  await context.clearCookies()
  await context.addCookies(kept)
  const account = await page.request.get('/account', { maxRedirects: 0 })
  expect(account.status()).toBe(307)
  expect(account.headers().location).toContain('/sign-in?returnTo=%2Faccount')
  expect(await statusOf(page, '/docs/partner-onboarding')).toBe(307)
  expect(await (await page.request.get('/')).text()).not.toContain('Alice Anders')
})
