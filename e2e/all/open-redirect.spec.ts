import { expect, test, type Page } from '@playwright/test'
import { appUrl, projectOf, signInAs, type Project } from '../sessions'
import { REDIRECT_PAYLOADS } from '../support'

// The red team's open-redirect payloads, through the whole sign-in round trip for every provider:
// the browser must never leave the app's origin, and an oversized returnTo must not break sign-in.

/** Fails the test if the browser ever asks for the attacker's host. */
function watchForEscape(page: Page): () => void {
  const escaped: string[] = []
  page.context().on('request', (request) => {
    if (new URL(request.url()).hostname.endsWith('evil.example')) escaped.push(request.url())
  })
  return () => expect(escaped, 'requests that left the origin').toEqual([])
}

const redirectFlow = (project: Project) => project === 'local' || project === 'okta' || project === 'auth0'

test('returnTo payloads never leave the origin through the full sign-in round trip', async ({ page }, info) => {
  const project = projectOf(info)
  const origin = appUrl(project)
  const noEscape = watchForEscape(page)

  if (redirectFlow(project)) {
    // 1. Signed out: the sign-in page, the IdP's form, the callback.
    await page.goto(`/sign-in?returnTo=${encodeURIComponent(REDIRECT_PAYLOADS[0]!)}`)
    await page.getByTestId('sign-in-link').click()
    await page.getByLabel('Username').fill('bob')
    await page.getByLabel('Password').fill('password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByTestId('viewer-name')).toBeVisible()
    expect(new URL(page.url()).origin).toBe(origin)
    // 2. Each payload straight to /auth/login (skipping the sign-in page's own check): the IdP
    //    session completes the round trip without a form.
    for (const payload of REDIRECT_PAYLOADS) {
      await page.goto(`/auth/login?returnTo=${encodeURIComponent(payload)}`)
      await page.waitForURL((url) => url.origin === origin && !url.pathname.startsWith('/auth/'))
      expect(new URL(page.url()).origin, payload.slice(0, 40)).toBe(origin)
    }
  } else {
    await signInAs(page, project, 'bob')
  }

  // 3. Signed in, the sign-in page sends the reader on to returnTo: only ever a path here.
  for (const payload of REDIRECT_PAYLOADS) {
    const response = await page.request.get(`/sign-in?returnTo=${encodeURIComponent(payload)}`, { maxRedirects: 0 })
    expect(response.status()).toBe(307)
    const location = response.headers().location!
    expect(new URL(location, origin).origin, payload.slice(0, 40)).toBe(origin)
    expect(location.length).toBeLessThan(2100)
  }
  noEscape()
})

test('signed out, the sign-in page hands the provider only a safe returnTo, and huge ones do not break it', async ({ request }) => {
  for (const payload of REDIRECT_PAYLOADS) {
    // The RSC payload carries the sign-in UI's props exactly as the provider's widget or link gets them.
    const flight = await request.get(`/sign-in?returnTo=${encodeURIComponent(payload)}`, { headers: { RSC: '1' } })
    expect(flight.status()).toBe(200)
    const ui = JSON.parse(/"ui":(\{[^{}]*\})/.exec(await flight.text())![1]!) as { href?: string; returnTo?: string }
    const target = ui.returnTo ?? new URL(ui.href!, 'http://app.test').searchParams.get('returnTo')!
    expect(target, payload.slice(0, 40)).toBe('/')
  }
  const huge = await request.get(`/sign-in?returnTo=${encodeURIComponent('/' + 'b'.repeat(15_000))}`)
  expect(huge.status()).toBeLessThan(500)
  const login = await request.get(`/auth/login?returnTo=${encodeURIComponent('/' + 'c'.repeat(15_000))}`, { maxRedirects: 0 })
  expect(login.status()).toBeLessThan(500)
  const setCookie = login.headers()['set-cookie'] ?? ''
  expect(setCookie.length).toBeLessThan(4096)
})
