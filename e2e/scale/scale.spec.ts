import { expect, test } from '@playwright/test'
import { signInAndReturn } from '../support'

// 10,000 docs over 200 roles (bench/support/scaled-seed.ts): every page stays within its budgets, however
// many docs the reader may read or is locked out of. Sizes only; times are in bench/scale.ts.

const MAX_HTML = 200 * 1024
const MAX_LINKS = 200
const links = (html: string) => (html.match(/<a\s/g) ?? []).length

test.describe.configure({ timeout: 120_000 })

for (const reader of ['anon', 'alice']) {
  test(`at 10,000 docs every page stays within its size and link budgets (${reader})`, async ({ page }) => {
    if (reader !== 'anon') await signInAndReturn(page, reader)
    // scale-<i>, i % 10 == 0: public; alice holds partner_admin, which i % 4 == 0 accepts.
    const doc = reader === 'anon' ? '/docs/scale-5000' : '/docs/scale-5004'
    for (const path of ['/', doc, '/docs/scale-9997', '/sections/scale-10', '/sections/scale-10?page=4']) {
      const response = await page.request.get(path, { maxRedirects: 0 })
      const html = await response.text()
      if (path === '/docs/scale-9997') {
        // Hidden from both (roles it needs, visibility hidden): a 404 that says nothing.
        expect(response.status(), path).toBe(404)
        continue
      }
      expect(response.status(), path).toBe(200)
      if (path === '/') expect(Buffer.byteLength(html), `HTML bytes of ${path}`).toBeLessThanOrEqual(MAX_HTML)
      expect(links(html), `links on ${path}`).toBeLessThanOrEqual(MAX_LINKS)
    }
    // The current page is in the sidebar even deep inside a large section, and the section says how many.
    await page.goto(doc)
    await expect(page.getByTestId('sidebar').locator('a[aria-current="page"]')).toHaveAttribute('href', doc)
    await expect(page.getByTestId('sidebar')).toContainText(/All \d+ pages in/)
  })
}
