import { expect, test, type APIResponse, type Page } from '@playwright/test'
import { accessMatrix, expectedOutcome, readers, seedMarkers, type Outcome } from '../tests/access-matrix'
import { signInAndReturn } from './support'

const markers = seedMarkers()
const slugs = Object.keys(accessMatrix)

const statusOf: Record<Outcome, number> = { read: 200, forbidden: 403, notFound: 404, signIn: 307 }

/** Every marker of a doc this reader may not read must be absent from what we received. */
function expectNoForeignMarkers(body: string, readable: string[], where: string) {
  for (const [slug, marker] of Object.entries(markers)) {
    if (!readable.includes(slug)) expect(body.includes(marker), `${marker} leaked in ${where}`).toBe(false)
  }
}

async function text(response: APIResponse) {
  return (await response.body()).toString('utf8')
}

async function checkMatrix(page: Page, reader: (typeof readers)[number]) {
  const readable = slugs.filter((slug) => expectedOutcome(slug, reader) === 'read')

  for (const slug of slugs) {
    const expected = expectedOutcome(slug, reader)
    const path = `/docs/${slug}`
    const html = await page.request.get(path, { maxRedirects: 0 })
    expect(html.status(), `${reader} GET ${path}`).toBe(statusOf[expected])
    const body = await text(html)
    expectNoForeignMarkers(body, readable, `HTML of ${path} for ${reader}`)
    if (expected === 'read') expect(body).toContain(markers[slug])
    if (expected === 'signIn') expect(html.headers().location).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`)
    if (expected === 'forbidden') {
      // Next streams a 403 page as RSC data in the HTML; the browser test below checks the rendering.
      expect(body).toContain('You do not have access to this document')
      expect(body).toMatch(/Requires one of these (roles|plans)|Only for members of the/)
    }

    // The RSC payload a client-side navigation fetches (`_rsc` as Next expects without router state).
    const rsc = await page.request.get(`${path}?_rsc`, { headers: { RSC: '1' }, maxRedirects: 0 })
    const payload = await text(rsc)
    expectNoForeignMarkers(payload, readable, `RSC payload of ${path} for ${reader}`)
    if (expected === 'read' || expected === 'forbidden') expect(rsc.headers()['content-type']).toContain('text/x-component')
    if (expected === 'read') expect(payload).toContain(markers[slug]) // so the check above would see a leak
    if (expected === 'forbidden') expect(payload).toContain('You do not have access to this document')
  }

  const home = await page.request.get('/')
  expect(home.status()).toBe(200)
  const homeHtml = await text(home)
  expectNoForeignMarkers(homeHtml, [], `home page for ${reader}`)
  // Hidden docs the reader cannot read are not even listed.
  for (const slug of slugs) {
    const listed = homeHtml.includes(`href="/docs/${slug}"`)
    expect(listed, `${slug} listed on home for ${reader}`).toBe(expectedOutcome(slug, reader) !== 'notFound')
  }
}

for (const reader of readers) {
  test(`access matrix over HTTP: ${reader}`, async ({ page }) => {
    if (reader !== 'anon') await signInAndReturn(page, reader)
    await checkMatrix(page, reader)
  })
}

test('a locked teaser shows in the browser with the missing requirement, body never sent', async ({ page }) => {
  const payloads: string[] = []
  page.on('response', async (response) => {
    if ((response.headers()['content-type'] ?? '').includes('text/x-component')) payloads.push(await response.text().catch(() => ''))
  })
  await signInAndReturn(page, 'bob')
  // Client-side navigation from the home page fetches the RSC payload.
  await page.getByTestId('locked-docs').getByRole('link', { name: 'Acme incident runbook' }).click()
  await expect(page.getByTestId('locked-teaser')).toContainText('Acme incident runbook')
  await expect(page.getByTestId('missing-requirements')).toContainText('Only for members of the acme organization.')
  await page.goto('/docs/enterprise-sso')
  await expect(page.getByTestId('missing-requirements')).toContainText('Requires one of these plans: enterprise.')
  const seen = payloads.join('\n') + (await page.content())
  expectNoForeignMarkers(seen, ['getting-started', 'member-faq'], 'browser session of bob')
})

test('a reader sees their own docs rendered', async ({ page }) => {
  await signInAndReturn(page, 'dave')
  await page.getByTestId('readable-docs').getByRole('link', { name: 'Beta features' }).click()
  await expect(page.getByTestId('doc-body')).toContainText(markers['beta-features']!)
})
