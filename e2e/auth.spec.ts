import { expect, test } from '@playwright/test'
import { signIn, signInAndReturn } from './support'

const IDP_ORIGIN = 'http://localhost:4100'

test('a wrong password is refused with a message and no session', async ({ page }) => {
  await signIn(page, 'alice', { password: 'not-the-password' })
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.')
  await expect(page).toHaveURL(new RegExp(`^${IDP_ORIGIN}/interaction/`))
  const account = await page.request.get('/account', { maxRedirects: 0 })
  expect(account.status()).toBe(307)
  // The same form then accepts the right password.
  await page.getByLabel('Password').fill('password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByTestId('viewer-name')).toHaveText('Alice Anders')
})

test('an unknown user is refused', async ({ page }) => {
  await signIn(page, 'nobody')
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.')
})

test('returnTo brings the reader back to the doc they asked for', async ({ page }) => {
  await page.goto('/docs/partner-onboarding')
  await expect(page).toHaveURL('/sign-in?returnTo=%2Fdocs%2Fpartner-onboarding')
  await page.getByTestId('sign-in-link').click()
  await page.getByLabel('Username').fill('alice')
  await page.getByLabel('Password').fill('password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL('/docs/partner-onboarding')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Partner onboarding')
})

test('returnTo cannot send the reader to another site', async ({ page }) => {
  await signIn(page, 'bob', { returnTo: 'https://evil.example/' })
  await expect(page).toHaveURL('/')
})

test('/account shows who you are; signed out it redirects to sign in', async ({ page }) => {
  const anon = await page.request.get('/account', { maxRedirects: 0 })
  expect(anon.status()).toBe(307)
  expect(anon.headers().location).toContain('/sign-in?returnTo=%2Faccount')
  await signInAndReturn(page, 'carol', '/account')
  await expect(page.getByTestId('account-roles')).toHaveText('customer_admin, customer_viewer')
  await expect(page.getByTestId('account-tenant')).toHaveText('acme')
  await expect(page.getByTestId('account-plan')).toHaveText('enterprise')
})

test('sign-out ends the session here and at the IdP', async ({ page, context }) => {
  await signInAndReturn(page, 'alice', '/account')
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL('/')
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible()
  expect((await context.cookies()).find((c) => c.name === 'gh_session')).toBeUndefined()
  expect((await page.request.get('/docs/partner-onboarding', { maxRedirects: 0 })).status()).toBe(307)
  // The IdP session ended too: signing in again asks for credentials.
  await page.goto('/sign-in')
  await page.getByTestId('sign-in-link').click()
  await expect(page.getByLabel('Password')).toBeVisible()
})

test('a tampered session cookie is dropped, never trusted', async ({ page, context }) => {
  await signInAndReturn(page, 'bob')
  const session = (await context.cookies()).find((c) => c.name === 'gh_session')!
  await context.addCookies([{ ...session, value: session.value.slice(0, -6) + 'AAAAAA' }])
  const response = await page.request.get('/docs/member-faq', { maxRedirects: 0 })
  expect(response.status()).toBe(307)
  expect(response.headers()['set-cookie']).toMatch(/gh_session=;/)
})

test('identity headers from the client are ignored', async ({ request }) => {
  const response = await request.get('/docs/partner-onboarding', {
    maxRedirects: 0,
    headers: {
      'x-user-roles': 'partner_admin',
      'x-gatehouse-viewer': '{"roles":["partner_admin"]}',
      'x-descope-session': 'x',
      'x-middleware-subrequest': 'proxy',
    },
  })
  expect(response.status()).toBe(307)
})
