import { expect, test, type BrowserContext } from '@playwright/test'
import type { Reader } from '../../tests/access-matrix'
import { DESCOPE_PROJECT_ID, descopeTestKey, foreignTestKey, stacks } from '../stacks'
import { checkMatrix, submitForm } from '../support'
import { mint, unsigned } from '../tokens'

// AUTH_PROVIDER=descope: the real @descope/nextjs-sdk verifies DS session JWTs against a local JWKS
// at DESCOPE_BASE_URL/v2/keys/{projectId}. Tokens are minted here as Descope would issue them.

const appUrl = `http://localhost:${stacks.descope.app}`
const issuer = `https://api.descope.com/${DESCOPE_PROJECT_ID}`

/** Descope-shaped claims: project roles, per-tenant roles, the current tenant `dct`, a plan claim. */
const claimsOf: Partial<Record<Reader, Record<string, unknown>>> = {
  // Roles held in the current tenant count.
  alice: { sub: 'U-alice', roles: [], tenants: { acme: { roles: ['partner_admin'] } }, dct: 'acme', plan: 'pro' },
  // Project roles count; roles held in another tenant do not.
  bob: { sub: 'U-bob', roles: ['customer_viewer'], tenants: { globex: { roles: [] }, acme: { roles: ['partner_admin'] } }, dct: 'globex', plan: 'free' },
  // With a single tenant, it is the current one even without dct.
  carol: { sub: 'U-carol', roles: ['customer_viewer'], tenants: { acme: { roles: ['customer_admin'] } }, plan: 'enterprise' },
  mallory: { sub: 'U-mallory', roles: [] },
}

async function useSession(context: BrowserContext, token: string) {
  await context.addCookies([{ name: 'DS', value: token, url: appUrl, sameSite: 'Lax' }])
}

for (const reader of ['alice', 'bob', 'carol', 'mallory'] as const) {
  test(`descope: access matrix for ${reader}`, async ({ page, context }) => {
    await useSession(context, await mint(descopeTestKey, { iss: issuer, ...claimsOf[reader] }))
    await checkMatrix(page, reader)
  })
}

test('descope: /account shows the viewer built from Descope claims', async ({ page, context }) => {
  await useSession(context, await mint(descopeTestKey, { iss: issuer, ...claimsOf.carol }))
  await page.goto('/account')
  await expect(page.getByTestId('account-roles')).toHaveText('customer_admin, customer_viewer')
  await expect(page.getByTestId('account-tenant')).toHaveText('acme')
  await expect(page.getByTestId('account-signed-in-with')).toHaveText('descope')
})

const refusals: [string, () => Promise<string>][] = [
  ['signed by another key', () => mint(foreignTestKey, { iss: issuer, ...claimsOf.alice })],
  [
    'expired',
    () =>
      mint(
        descopeTestKey,
        { iss: issuer, ...claimsOf.alice },
        { issuedAt: Math.floor(Date.now() / 1000) - 3600, expiresIn: Math.floor(Date.now() / 1000) - 60 },
      ),
  ],
  ['alg none', async () => unsigned({ iss: issuer, ...claimsOf.alice }, descopeTestKey.kid!)],
  ['issued for another project', () => mint(descopeTestKey, { ...claimsOf.alice, iss: 'https://api.descope.com/P2otherproject' })],
  ['from another host ending in the project id', () => mint(descopeTestKey, { ...claimsOf.alice, iss: `https://evil.example/${DESCOPE_PROJECT_ID}` })],
  ['without an expiry', () => mint(descopeTestKey, { iss: issuer, ...claimsOf.alice }, { expiresIn: null })],
  // Descope signs refresh tokens with the same key; one must never pass for a session.
  ['that is a refresh token (drn DSR)', () => mint(descopeTestKey, { iss: issuer, ...claimsOf.alice, drn: 'DSR' }, { expiresIn: '30d' })],
  [
    'issued in the future',
    () =>
      mint(
        descopeTestKey,
        { iss: issuer, ...claimsOf.alice },
        { issuedAt: Math.floor(Date.now() / 1000) + 3600, expiresIn: Math.floor(Date.now() / 1000) + 7200 },
      ),
  ],
]
for (const [name, token] of refusals) {
  test(`descope: a session token ${name} is refused`, async ({ page, context }) => {
    await useSession(context, await token())
    const response = await page.request.get('/docs/partner-onboarding', { maxRedirects: 0 })
    expect(response.status()).toBe(307)
    expect((await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(307)
  })
}

test('descope: the sign-in page renders the Descope flow component', async ({ page }) => {
  await page.goto('/sign-in?returnTo=/docs/member-faq')
  await expect(page.locator('descope-wc')).toHaveAttribute('flow-id', 'sign-up-or-in')
})

test('descope: sign-out clears the session cookies', async ({ page, context }) => {
  await useSession(context, await mint(descopeTestKey, { iss: issuer, ...claimsOf.alice }))
  expect((await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(200)
  const signOut = await submitForm(page, '/', 'Sign out')
  expect(signOut.status()).toBe(303)
  expect((await context.cookies()).find((c) => c.name === 'DS')).toBeUndefined()
  expect((await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(307)
})
