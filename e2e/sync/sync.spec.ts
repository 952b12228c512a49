import { expect, test, type Page } from '@playwright/test'
import { stacks } from '../stacks'
import { signInAndReturn } from '../support'

// The loop on the embedded defaults: an editor changes dave's memberProfile in the local lake →
// the lake fires the signed `local` webhook → the app syncs the local IdP → dave's next sign-in has it.

const lakeUrl = `http://localhost:${stacks.sync.lake}`
const WRITE_TOKEN = 'gatehouse-local-write-token' // the local lake's dev-only editor token

async function setDaveRoles(keys: string[]) {
  // What the Studio sends when erin publishes the profile (the Studio itself arrives with #5).
  const response = await fetch(`${lakeUrl}/v2025-02-19/data/mutate/production`, {
    method: 'POST',
    headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      mutations: [{ patch: { id: 'memberProfile.dave', set: { roles: keys.map((key) => ({ _type: 'reference', _ref: `accessRole.${key}`, _key: key })) } } }],
    }),
  })
  expect(response.ok).toBe(true)
}

async function partnerOnboardingStatus(page: Page): Promise<number> {
  return (await page.request.get('/docs/partner-onboarding', { maxRedirects: 0 })).status()
}

async function signInAgain(page: Page) {
  await page.context().clearCookies()
  await signInAndReturn(page, 'dave')
}

test('publishing dave’s memberProfile grants and revokes partner-onboarding', async ({ page }) => {
  await signInAndReturn(page, 'dave')
  expect(await partnerOnboardingStatus(page)).toBe(403)

  await setDaveRoles(['beta_tester', 'partner_admin'])
  // The grant lands at the IdP asynchronously; each attempt is a fresh sign-in.
  await expect(async () => {
    await signInAgain(page)
    expect(await partnerOnboardingStatus(page)).toBe(200)
  }).toPass({ timeout: 30_000 })

  await setDaveRoles(['beta_tester'])
  await expect(async () => {
    await signInAgain(page)
    expect(await partnerOnboardingStatus(page)).toBe(403)
  }).toPass({ timeout: 30_000 })
  // beta-features (his own role) stayed readable throughout.
  expect((await page.request.get('/docs/beta-features', { maxRedirects: 0 })).status()).toBe(200)
})
