import { expect, test, type Page, type TestInfo } from '@playwright/test'
import { stacks } from '../stacks'
import { signInAndReturn } from '../support'

// The loop on the embedded defaults, in each sync runtime (project `sync`: webhooks; `functions`:
// SYNC_RUNTIME=functions, the lake running the sync functions as Sanity would). An editor changes
// dave's memberProfile in the local lake → the `local` target syncs the local IdP (dave's next sign-in
// has it) and the `access` target tells the app (his open session has it on its next request).
// Serial: both tests change dave.
test.describe.configure({ mode: 'serial' })

const WRITE_TOKEN = 'gatehouse-local-write-token' // the local lake's dev-only editor token
const lakeOf = (info: TestInfo) => `http://localhost:${stacks[info.project.name as 'sync' | 'functions'].lake}`

async function setDaveRoles(info: TestInfo, keys: string[]) {
  // What the Studio sends when erin publishes the profile.
  const response = await fetch(`${lakeOf(info)}/v2025-02-19/data/mutate/production`, {
    method: 'POST',
    headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      mutations: [{ patch: { id: 'memberProfile.dave', set: { roles: keys.map((key) => ({ _type: 'reference', _ref: `accessRole.${key}`, _key: key })) } } }],
    }),
  })
  expect(response.ok).toBe(true)
}

const statusOf = async (page: Page, path: string) => (await page.request.get(path, { maxRedirects: 0 })).status()

async function signInAgain(page: Page) {
  await page.context().clearCookies()
  await signInAndReturn(page, 'dave')
}

test('publishing dave’s memberProfile grants and revokes partner-onboarding at the IdP', async ({ page }, info) => {
  await signInAndReturn(page, 'dave')
  expect(await statusOf(page, '/docs/partner-onboarding')).toBe(403)

  await setDaveRoles(info, ['beta_tester', 'partner_admin'])
  // The grant lands at the IdP asynchronously; each attempt is a fresh sign-in.
  await expect(async () => {
    await signInAgain(page)
    expect(await statusOf(page, '/docs/partner-onboarding')).toBe(200)
  }).toPass({ timeout: 30_000 })

  await setDaveRoles(info, ['beta_tester'])
  await expect(async () => {
    await signInAgain(page)
    expect(await statusOf(page, '/docs/partner-onboarding')).toBe(403)
  }).toPass({ timeout: 30_000 })
  // beta-features (his own role) stayed readable throughout.
  expect(await statusOf(page, '/docs/beta-features')).toBe(200)
})

test('a role removed while dave is signed in is gone from his open session', async ({ page }, info) => {
  await signInAndReturn(page, 'dave')
  expect(await statusOf(page, '/docs/beta-features')).toBe(200)
  try {
    await setDaveRoles(info, [])
    // No new sign-in: the same session's next requests.
    await expect(async () => expect(await statusOf(page, '/docs/beta-features')).toBe(404)).toPass({ timeout: 10_000 })
  } finally {
    await setDaveRoles(info, ['beta_tester'])
  }
  await expect(async () => expect(await statusOf(page, '/docs/beta-features')).toBe(200)).toPass({ timeout: 10_000 })
})

test('resync over HTTP: the target’s secret as a bearer token; IdP targets resync only in the webhook runtime', async ({ request }, info) => {
  const functions = info.project.name === 'functions'
  const secrets = { local: functions ? 'e2e-local-webhook-secret' : 'e2e-sync-webhook-secret', access: 'e2e-access-webhook-secret' }
  const resync = (target: 'local' | 'access', token?: string) =>
    request.post(`/api/sync/resync/${target}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, maxRedirects: 0 })
  expect((await resync('access')).status()).toBe(401)
  const access = await resync('access', secrets.access)
  expect(access.status()).toBe(200)
  expect(await access.json()).toMatchObject({ target: 'access', applied: 7, failed: [], next: null })
  const local = await resync('local', secrets.local)
  if (functions) {
    expect(local.status()).toBe(404)
    expect((await local.json()).error).toMatch(/runs as a Sanity Function/)
  } else {
    expect(local.status()).toBe(200)
    expect(await local.json()).toMatchObject({ target: 'local', applied: 7, next: null })
  }
})
