import { expect, test } from '@playwright/test'
import { checkMatrix, signInAndReturn } from '../support'

// AUTH_PROVIDER=auth0: @auth0/nextjs-auth0 against the local IdP acting as the Auth0 domain
// (http://localhost:4300/, allowInsecureRequests), issuing namespaced claims as an Auth0 Action does.

for (const reader of ['alice', 'bob', 'carol'] as const) {
  test(`auth0: access matrix for ${reader} (namespaced claims, org_id as tenant)`, async ({ page }) => {
    await signInAndReturn(page, reader)
    await checkMatrix(page, reader)
  })
}

test('auth0: /account, returnTo and sign-out', async ({ page }) => {
  await signInAndReturn(page, 'carol', '/account')
  await expect(page.getByTestId('account-roles')).toHaveText('customer_admin, customer_viewer')
  await expect(page.getByTestId('account-tenant')).toHaveText('acme')
  await expect(page.getByTestId('account-plan')).toHaveText('enterprise')
  await expect(page.getByTestId('account-signed-in-with')).toHaveText('auth0')
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible()
  expect((await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(307)
})

test('auth0: anonymous readers are sent to sign in', async ({ page }) => {
  await checkMatrix(page, 'anon')
})
