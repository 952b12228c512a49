import { expect, test } from '@playwright/test'
import { REDIRECT_PAYLOADS, signInAndReturn, submitForm } from './support'

// Response headers and malformed framework input (the red team's findings), on the local stack.

test('pages carry a nonce CSP that allows same-origin framing only, and no X-Frame-Options', async ({ page }) => {
  const response = await page.goto('/')
  const headers = response!.headers()
  const csp = headers['content-security-policy']!
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
  expect(nonce).toBeTruthy()
  expect(csp).toContain("frame-ancestors 'self'")
  expect(csp).toContain("object-src 'none'")
  expect(csp).toContain("base-uri 'self'")
  expect(headers['x-frame-options']).toBeUndefined()
  expect(headers['permissions-policy']).toContain('camera=()')
  // Plain http here: no HSTS (tests/security-headers.test.ts covers https).
  expect(headers['strict-transport-security']).toBeUndefined()
  // Every script Next rendered carries this response's nonce, and the page hydrates under the CSP.
  const scripts = await page.locator('script').evaluateAll((nodes) => nodes.map((node) => (node as HTMLScriptElement).nonce))
  expect(scripts.length).toBeGreaterThan(0)
  for (const value of scripts) expect(value).toBe(nonce)
  const second = (await page.request.get('/')).headers()['content-security-policy']!
  expect(second).not.toBe(csp) // a fresh nonce per response
})

test('the app can frame itself (the Studio’s Presentation tool does), a CSP violation-free page loads', async ({ page }) => {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  await page.goto('/docs/getting-started')
  await page.evaluate(() => {
    const frame = document.createElement('iframe')
    frame.src = '/docs/member-faq'
    frame.title = 'preview'
    document.body.append(frame)
  })
  const frame = page.frameLocator('iframe[title="preview"]')
  // member-faq needs a signed-in reader: the framed page redirected to sign-in and rendered it.
  await expect(frame.getByTestId('sign-in-link')).toBeVisible()
  expect(violations).toEqual([])
})

test('auth routes, draft-mode routes and proxy redirects are never stored', async ({ page, request }) => {
  const login = await request.get('/auth/login?returnTo=%2F', { maxRedirects: 0 })
  expect(login.headers()['cache-control']).toBe('no-store')
  const redirect = await request.get('/account', { maxRedirects: 0 })
  expect(redirect.status()).toBe(307)
  expect(redirect.headers()['cache-control']).toBe('no-store')
  const draft = await request.get('/api/draft-mode/disable', { maxRedirects: 0 })
  expect(draft.headers()['cache-control']).toBe('no-store')
  await signInAndReturn(page, 'bob')
  const logout = await submitForm(page, '/', 'Sign out')
  expect(logout.status()).toBe(303)
  expect(logout.headers()['cache-control']).toContain('no-store')
})

test('malformed framework input is a 4xx, never a 500', async ({ request }) => {
  for (const tree of ['%E0%A4%A', 'garbage', '%5B1', '%7B%22a%22%3A1%7D', '%5B%22%22%5D']) {
    // Follow Next's own 307 (it adds the matching `_rsc`), then the request reaches the app.
    const response = await request.get('/docs/getting-started', { headers: { RSC: '1', 'Next-Router-State-Tree': tree } })
    expect(response.status(), tree).toBe(400)
  }
  const valid = await request.get('/docs/getting-started', { headers: { RSC: '1', 'Next-Router-State-Tree': encodeURIComponent(JSON.stringify(['', {}])) } })
  expect(valid.status()).toBe(200)
  for (const url of ['/robots.txt', '/docs/getting-started', '/favicon.ico', 'https://evil.example/a.png']) {
    const image = await request.get(`/_next/image?url=${encodeURIComponent(url)}&w=64&q=75`)
    expect(image.status(), url).toBeGreaterThanOrEqual(400)
    expect(image.status(), url).toBeLessThan(500)
  }
})

test('preview start and exit never redirect off the origin, whatever returnTo the form is made to carry', async ({ page }) => {
  await signInAndReturn(page, 'erin')
  const origin = new URL(page.url()).origin
  for (const payload of REDIRECT_PAYLOADS) {
    const start = await submitForm(page, '/preview', 'Preview', { returnTo: payload, roles: 'partner_admin' })
    expect(start.status(), `start ${payload.slice(0, 30)}`).toBe(303)
    expect(new URL(start.headers().location!, origin).origin).toBe(origin)
    const exit = await submitForm(page, '/', 'Exit preview', { returnTo: payload })
    expect(exit.status(), `exit ${payload.slice(0, 30)}`).toBe(303)
    expect(new URL(exit.headers().location!, origin).origin).toBe(origin)
  }
})

test('a Server Action posted from another site is refused by Next’s origin check', async ({ page }) => {
  await signInAndReturn(page, 'bob')
  const html = await (await page.request.get('/')).text()
  const field = /name="(\$ACTION_ID_[^"]+)"/.exec(html)![1]!
  const data = new FormData()
  data.append(field, '')
  const forged = await page.request.post('/', { multipart: data, maxRedirects: 0, headers: { origin: 'https://evil.example' } })
  expect(forged.status()).toBeGreaterThanOrEqual(400)
  expect(await (await page.request.get('/account', { maxRedirects: 0 })).status()).toBe(200) // still signed in
})
