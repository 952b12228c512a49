// How each provider project gets a reader signed in: through the local IdP's form for the providers
// whose sign-in is a redirect (local, okta, auth0), with minted tokens for Descope and Clerk (their
// widgets load from their clouds). Claims mirror the user's seeded IdP account.
import { expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test'
import { seededUsers } from '../dev/idp/users'
import { clerkTestKey, DESCOPE_PROJECT_ID, descopeTestKey, stacks, type ProviderName } from './stacks'
import { signInAndReturn, submitForm } from './support'
import { mint } from './tokens'

export type Project = Exclude<ProviderName, 'sync' | 'functions' | 'cluster'>

export const projectOf = (info: TestInfo) => info.project.name as Project
export const appUrl = (project: Project) => `http://localhost:${stacks[project].app}`

const userOf = (username: string) => {
  const user = seededUsers.find((u) => u.username === username)
  if (!user) throw new Error(`no seeded user ${username}`)
  return user
}

export function descopeClaims(username: string): Record<string, unknown> {
  const user = userOf(username)
  return {
    iss: `https://api.descope.com/${DESCOPE_PROJECT_ID}`,
    sub: `U-${username}`,
    roles: user.tenant ? [] : user.roles,
    ...(user.tenant ? { tenants: { [user.tenant]: { roles: user.roles } }, dct: user.tenant } : {}),
    plan: user.plan,
    // Unique per mint: two tests minting the same claims in the same second would otherwise hold the
    // very same token, and one test's sign-out (which revokes it) would end the other's session.
    jti: crypto.randomUUID(),
  }
}

export function clerkClaims(username: string): Record<string, unknown> {
  const user = userOf(username)
  return {
    iss: 'https://clerk.gatehouse.test',
    azp: appUrl('clerk'),
    sub: `user_${username}`,
    sid: `sess_${username}_${Math.random().toString(36).slice(2, 10)}`,
    v: 2,
    metadata: { roles: user.roles, plan: user.plan },
    ...(user.tenant ? { o: { id: user.tenant, slg: user.tenant, rol: 'member' } } : {}),
  }
}

const now = () => Math.floor(Date.now() / 1000)

async function addCookies(context: BrowserContext, project: Project, cookies: [string, string][]) {
  await context.addCookies(cookies.map(([name, value]) => ({ name, value, url: appUrl(project), sameSite: 'Lax' as const })))
}

/** Signs `username` in on this project's stack; afterwards page.request carries the session. */
export async function signInAs(page: Page, project: Project, username: string, returnTo = '/') {
  switch (project) {
    case 'local':
    case 'okta':
    case 'auth0':
      return signInAndReturn(page, username, returnTo)
    case 'descope':
      return addCookies(page.context(), project, [['DS', await mint(descopeTestKey, descopeClaims(username))]])
    case 'clerk':
      return addCookies(page.context(), project, [
        ['__session', await mint(clerkTestKey, clerkClaims(username), { issuedAt: now() })],
        ['__client_uat', String(now() - 5)],
        ['__clerk_db_jwt', 'dvb_gatehouse_e2e'],
      ])
  }
}

/** Signs out the way the header's button does (a POST from this site). */
export async function signOut(page: Page, project: Project) {
  if (project === 'descope' || project === 'clerk') {
    // Their widgets cannot load offline: submit the header's sign-out form as a browser without JavaScript would.
    const response = await submitForm(page, '/', 'Sign out')
    expect(response.status()).toBe(303)
    return
  }
  await page.goto('/')
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible()
}

export const statusOf = async (page: Page, path: string) => (await page.request.get(path, { maxRedirects: 0 })).status()

/** Polls until `check` passes, failing after `withinMs`; returns how long it took. */
export async function within(withinMs: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const started = Date.now()
  for (;;) {
    if (await check()) return Date.now() - started
    if (Date.now() - started > withinMs) throw new Error(`${what}: not within ${withinMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The lake's mutation API, as the Studio uses it when an editor publishes. */
export async function publish(project: Project | 'cluster', mutations: unknown[]) {
  const response = await fetch(`http://localhost:${stacks[project].lake}/v2025-02-19/data/mutate/production`, {
    method: 'POST',
    headers: { authorization: 'Bearer gatehouse-local-write-token', 'content-type': 'application/json' },
    body: JSON.stringify({ mutations }),
  })
  expect(response.ok, await response.clone().text()).toBe(true)
}

/** The local IdP's admin API: a change made directly in the IdP, not through Sanity. */
export async function setIdpUser(
  project: Project | 'cluster',
  username: string,
  grant: { roles: string[]; tenant: string | null; plan: string | null; region: string | null },
) {
  const response = await fetch(`http://localhost:${stacks[project].idp}/admin/users/${username}`, {
    method: 'PUT',
    headers: { authorization: 'Bearer gatehouse-local-idp-admin-token-dev-only', 'content-type': 'application/json' },
    body: JSON.stringify(grant),
  })
  expect(response.ok).toBe(true)
}
