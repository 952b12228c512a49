import { expect, test } from '@playwright/test'
import { checkMatrix, signInAndReturn } from '../support'

// AUTH_PROVIDER=okta: the OIDC adapter against the local IdP issuing a `groups` claim, as Okta does.

for (const reader of ['alice', 'bob', 'carol'] as const) {
  test(`okta: access matrix for ${reader} (roles from the groups claim)`, async ({ page }) => {
    await signInAndReturn(page, reader)
    await checkMatrix(page, reader)
  })
}

test('okta: /account shows the provider and the groups as roles', async ({ page }) => {
  await signInAndReturn(page, 'carol', '/account')
  await expect(page.getByTestId('account-roles')).toHaveText('customer_admin, customer_viewer')
  await expect(page.getByTestId('account-signed-in-with')).toHaveText('okta')
})

test('okta: anonymous readers are sent to sign in', async ({ page }) => {
  await checkMatrix(page, 'anon')
})
