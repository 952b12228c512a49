import { expect, test, type BrowserContext } from '@playwright/test'
import type { Reader } from '../../tests/access-matrix'
import { clerkTestKey, foreignTestKey, stacks } from '../stacks'
import { checkMatrix, submitForm } from '../support'
import { mint, unsigned } from '../tokens'

// AUTH_PROVIDER=clerk: the real @clerk/nextjs middleware verifies __session tokens networklessly with
// CLERK_JWT_KEY. Tokens are minted here as Clerk would issue them with the session-token template
// {"metadata": "{{user.public_metadata}}"} (README) and session token v2 organization claims.

const appUrl = `http://localhost:${stacks.clerk.app}`

const claimsOf: Partial<Record<Reader, Record<string, unknown>>> = {
  alice: { sub: 'user_alice', metadata: { roles: ['partner_admin'], plan: 'pro' }, o: { id: 'acme', slg: 'acme', rol: 'member' } },
  bob: { sub: 'user_bob', metadata: { roles: ['customer_viewer'], plan: 'free' }, o: { id: 'globex', slg: 'globex', rol: 'member' } },
  carol: { sub: 'user_carol', metadata: { roles: ['customer_admin', 'customer_viewer'], plan: 'enterprise' }, o: { id: 'acme', slg: 'acme', rol: 'admin' } },
  mallory: { sub: 'user_mallory', metadata: {} },
}

function sessionClaims(reader: Reader) {
  // A fresh session id per token: signing out revokes the session id, which must not end another test's session.
  return { iss: 'https://clerk.gatehouse.test', azp: appUrl, sid: `sess_${reader}_${crypto.randomUUID()}`, v: 2, ...claimsOf[reader] }
}

/** The cookies a Clerk development instance keeps in the browser. */
async function useSession(context: BrowserContext, token: string, issuedAt = Math.floor(Date.now() / 1000) - 5) {
  await context.addCookies(
    [
      ['__session', token],
      ['__client_uat', String(issuedAt)],
      ['__clerk_db_jwt', 'dvb_gatehouse_e2e'],
    ].map(([name, value]) => ({ name: name!, value: value!, url: appUrl, sameSite: 'Lax' as const })),
  )
}

const now = () => Math.floor(Date.now() / 1000)

for (const reader of ['alice', 'bob', 'carol', 'mallory'] as const) {
  test(`clerk: access matrix for ${reader}`, async ({ page, context }) => {
    await useSession(context, await mint(clerkTestKey, sessionClaims(reader), { issuedAt: now() }), now() - 5)
    await checkMatrix(page, reader)
  })
}

test('clerk: /account shows metadata roles, the organization as tenant and its role (a reader without a memberProfile)', async ({ page, context }) => {
  // grace has no memberProfile, so her Clerk claims decide: metadata roles plus the organization role.
  const grace = {
    ...sessionClaims('mallory'),
    sub: 'user_grace',
    metadata: { roles: ['partner_admin'], plan: 'pro' },
    o: { id: 'acme', slg: 'acme', rol: 'admin' },
  }
  await useSession(context, await mint(clerkTestKey, grace, { issuedAt: now() }), now() - 5)
  const account = await (await page.request.get('/account')).text()
  expect(account).toContain('org:admin, partner_admin')
  expect(account).toContain('acme')
  expect(account).toContain('your identity provider')
})

test('clerk: a member’s Sanity profile decides over the token (carol)', async ({ page, context }) => {
  await useSession(context, await mint(clerkTestKey, sessionClaims('carol'), { issuedAt: now() }), now() - 5)
  const account = await (await page.request.get('/account')).text()
  expect(account).toContain('customer_admin, customer_viewer')
  expect(account).not.toContain('org:admin')
  expect(account).toContain('your member profile (current)')
})

const refusals: [string, () => Promise<string>][] = [
  ['signed by another key', () => mint({ ...foreignTestKey, kid: clerkTestKey.kid! }, sessionClaims('alice'), { issuedAt: now() })],
  ['expired', () => mint(clerkTestKey, sessionClaims('alice'), { issuedAt: now() - 3600, expiresIn: now() - 60 })],
  ['alg none', async () => unsigned(sessionClaims('alice'), clerkTestKey.kid!)],
  ['issued for another site (azp)', () => mint(clerkTestKey, { ...sessionClaims('alice'), azp: 'https://evil.example' }, { issuedAt: now() })],
  ['without azp', () => mint(clerkTestKey, { ...sessionClaims('alice'), azp: undefined }, { issuedAt: now() })],
  ['without an issuer', () => mint(clerkTestKey, { ...sessionClaims('alice'), iss: undefined }, { issuedAt: now() })],
  ['from another Frontend API', () => mint(clerkTestKey, { ...sessionClaims('alice'), iss: 'https://clerk.evil.example' }, { issuedAt: now() })],
  ['without an expiry', () => mint(clerkTestKey, sessionClaims('alice'), { issuedAt: now(), expiresIn: null })],
]
for (const [name, token] of refusals) {
  test(`clerk: a session token ${name} is refused`, async ({ page, context }) => {
    await useSession(context, await token(), now() - 7200)
    expect((await page.request.get('/docs/partner-onboarding', { maxRedirects: 0 })).status()).toBe(307)
    expect((await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(307)
  })
}

test('clerk: public docs render and gated ones redirect for anonymous readers', async ({ page }) => {
  await checkMatrix(page, 'anon')
})

test('clerk: sign-out clears the session cookies even with Clerk unreachable', async ({ page, context }) => {
  await useSession(context, await mint(clerkTestKey, sessionClaims('alice'), { issuedAt: now() }), now() - 5)
  expect((await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(200)
  const signOut = await submitForm(page, '/', 'Sign out')
  expect(signOut.status()).toBe(303)
  expect((await context.cookies()).find((c) => c.name === '__session')).toBeUndefined()
  expect((await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(307)
})
