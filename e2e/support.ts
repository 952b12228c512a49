import { expect, test, type APIResponse, type Page } from '@playwright/test'
import { accessMatrix, expectedOutcome, expectedSection, sectionMatrix, seedMarkers, type Outcome, type Reader } from '../tests/access-matrix'
import { hiddenTitles, leaksIn } from '../tests/leaks'

/** Signs in through the local IdP's real login form, as a person would. */
export async function signIn(page: Page, username: string, options: { password?: string; returnTo?: string } = {}) {
  const returnTo = options.returnTo ?? '/'
  await page.goto(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`)
  await page.getByTestId('sign-in-link').click()
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/interaction\//)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(options.password ?? 'password')
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function signInAndReturn(page: Page, username: string, returnTo = '/') {
  await signIn(page, username, { returnTo })
  await expect(page).toHaveURL((url) => url.origin === new URL(page.url()).origin && url.pathname === returnTo.split('?')[0])
  await expect(page.getByTestId('viewer-name')).toBeVisible()
}

const markers = seedMarkers()
const slugs = Object.keys(accessMatrix)

const statusOf: Record<Outcome, number> = { read: 200, forbidden: 403, notFound: 404, signIn: 307 }

/** Every marker of a doc this reader may not read must be absent from what we received. */
export function expectNoForeignMarkers(body: string, readable: string[], where: string) {
  for (const [slug, marker] of Object.entries(markers)) {
    if (!readable.includes(slug)) expect(body.includes(marker), `${marker} leaked in ${where}`).toBe(false)
  }
}

async function text(response: APIResponse) {
  return (await response.body()).toString('utf8')
}

/**
 * Nothing this reader may not receive is in `body`: no marker of a doc they cannot read, no title of a
 * doc hidden from them, no image of a doc they cannot read (tests/leaks.ts).
 */
export function expectNoLeaks(body: string, reader: Reader, where: string) {
  expect(leaksIn(body, reader), `leaked in ${where}`).toEqual([])
}

/**
 * Asserts every cell of the reader's row over HTTP, and that nothing they may not receive is in any
 * response: HTML (sidebar, breadcrumbs, table of contents, previous/next, metadata included), RSC
 * payloads, the home page, the section pages and the sitemap.
 */
export async function checkMatrix(page: Page, reader: Reader) {
  for (const slug of slugs) {
    const expected = expectedOutcome(slug, reader)
    const path = `/docs/${slug}`
    const html = await page.request.get(path, { maxRedirects: 0 })
    expect(html.status(), `${reader} GET ${path}`).toBe(statusOf[expected])
    const body = await text(html)
    expectNoLeaks(body, reader, `HTML of ${path} for ${reader}`)
    if (expected === 'read') expect(body).toContain(markers[slug])
    if (expected === 'signIn') expect(html.headers().location).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`)
    if (expected === 'forbidden') {
      // Next streams a 403 page as RSC data in the HTML; the browser test below checks the rendering.
      expect(body).toContain('You do not have access to this document')
      expect(body).toMatch(/Requires one of these (roles|plans)|Only for members of the|Only for readers in these regions/)
    }

    // The RSC payload a client-side navigation fetches (`_rsc` as Next expects without router state).
    const rsc = await page.request.get(`${path}?_rsc`, { headers: { RSC: '1' }, maxRedirects: 0 })
    const payload = await text(rsc)
    expectNoLeaks(payload, reader, `RSC payload of ${path} for ${reader}`)
    if (expected === 'read' || expected === 'forbidden') expect(rsc.headers()['content-type']).toContain('text/x-component')
    if (expected === 'read') expect(payload).toContain(markers[slug]) // so the check above would see a leak
    if (expected === 'forbidden') expect(payload).toContain('You do not have access to this document')
  }

  const home = await page.request.get('/')
  expect(home.status()).toBe(200)
  const homeHtml = await text(home)
  expectNoLeaks(homeHtml, reader, `home page for ${reader}`)
  // No body on the home page, not even of readable docs.
  for (const marker of Object.values(markers)) expect(homeHtml.includes(marker), `${marker} on the home page`).toBe(false)
  // The seed is small enough for the whole sidebar: every doc the reader may know of, hidden ones never.
  const sidebar = /data-testid="sidebar"[\s\S]*?<\/nav>/.exec(homeHtml)?.[0] ?? ''
  for (const slug of slugs) {
    const listed = sidebar.includes(`href="/docs/${slug}"`)
    expect(listed, `${slug} in the sidebar for ${reader}`).toBe(expectedOutcome(slug, reader) !== 'notFound')
  }
  for (const path of [...new Set(sectionPaths(homeHtml))]) {
    const section = await page.request.get(path)
    expect(section.status(), path).toBe(200)
    expectNoLeaks(await text(section), reader, `${path} for ${reader}`)
  }
  const sitemap = await page.request.get('/sitemap.xml')
  expectNoLeaks(await text(sitemap), 'anon', `sitemap.xml fetched by ${reader}`)
  await checkSections(page, reader)
  await checkAiSurfaces(page, reader)
  await checkSearch(page, reader)
}

/** Restricted sections: shown, a one-line teaser, or nothing — in the HTML and in the Markdown. */
async function checkSections(page: Page, reader: Reader) {
  for (const [marker, { page: slug }] of Object.entries(sectionMatrix)) {
    const expected = expectedSection(marker, reader)
    if (expected === '-') continue
    const html = await text(await page.request.get(`/docs/${slug}`))
    const md = await text(await page.request.get(`/docs/${slug}.md`))
    for (const [where, body] of [
      ['HTML', html],
      ['Markdown', md],
    ] as const) {
      expect(body.includes(marker), `${marker} in the ${where} of ${slug} for ${reader}`).toBe(expected === 'S')
    }
    const teasers = (html.match(/data-state="teaser"/g) ?? []).length
    if (expected === 'T') expect(teasers, `teaser line in ${slug} for ${reader}`).toBeGreaterThan(0)
    if (expected === 'H') expect(html).not.toContain('data-testid="restricted-block" data-state="teaser"')
  }
}

/** /docs/<slug>.md with the page's rules, llms.txt listing and llms-full.txt holding exactly the readable docs. */
async function checkAiSurfaces(page: Page, reader: Reader) {
  const origin = new URL(test.info().project.use.baseURL as string).origin
  for (const slug of slugs) {
    const expected = expectedOutcome(slug, reader)
    const path = `/docs/${slug}.md`
    const response = await page.request.get(path, { maxRedirects: 0 })
    expect(response.status(), `${reader} GET ${path}`).toBe(statusOf[expected])
    const body = await text(response)
    expectNoLeaks(body, reader, `${path} for ${reader}`)
    if (expected === 'read') {
      expect(response.headers()['content-type']).toContain('text/markdown')
      expect(body).toContain(markers[slug])
    }
    if (expected === 'signIn') expect(response.headers().location).toBe(`${origin}/sign-in?returnTo=${encodeURIComponent(path)}`)
  }
  const index = await text(await page.request.get('/llms.txt'))
  expectNoLeaks(index, reader, `llms.txt for ${reader}`)
  for (const slug of slugs) expect(index.includes(`/docs/${slug}.md)`), `${slug} in llms.txt for ${reader}`).toBe(expectedOutcome(slug, reader) === 'read')
  const full = await text(await page.request.get('/llms-full.txt'))
  expectNoLeaks(full, reader, `llms-full.txt for ${reader}`)
  for (const slug of slugs) expect(full.includes(markers[slug]!), `${slug} in llms-full.txt for ${reader}`).toBe(expectedOutcome(slug, reader) === 'read')
}

/**
 * Search finds only what the reader may know of, and searches text only where they may read it: the
 * marker of a doc or restricted section they cannot read finds nothing (its page is not a result).
 */
async function checkSearch(page: Page, reader: Reader) {
  const search = async (q: string) => {
    const response = await page.request.get(`/api/search?q=${encodeURIComponent(q)}`)
    expect(response.status()).toBe(200)
    expect(response.headers()['cache-control']).toContain('no-store')
    const body = await text(response)
    expectNoLeaks(body, reader, `search "${q}" for ${reader}`)
    return (JSON.parse(body) as { results: { slug: string; readable: boolean }[] }).results
  }
  for (const result of await search('marker')) {
    const expected = expectedOutcome(result.slug, reader)
    expect(expected, `${result.slug} found by ${reader}`).not.toBe('notFound')
    expect(result.readable, `${result.slug} readable for ${reader}`).toBe(expected === 'read')
  }
  const unreadable = [
    ...slugs.filter((slug) => expectedOutcome(slug, reader) !== 'read').map((slug) => ({ marker: markers[slug]!, slug })),
    ...Object.entries(sectionMatrix)
      .filter(([marker]) => expectedSection(marker, reader) !== 'S')
      .map(([marker, { page }]) => ({ marker, slug: page })),
  ]
  for (const { marker, slug } of unreadable) {
    const digits = /\d+$/.exec(marker)![0]
    expect(
      (await search(digits)).map((r) => r.slug),
      `searching ${marker} as ${reader}`,
    ).not.toContain(slug)
  }
  // Searching a hidden doc's very title: the leak check inside `search` fails if the title comes back.
  for (const title of hiddenTitles(reader)) await search(title)
  expectNoLeaks(await text(await page.request.get('/search?q=marker')), reader, `/search page for ${reader}`)
}

function sectionPaths(html: string): string[] {
  return [...html.matchAll(/href="(\/sections\/[a-z0-9-]+)"/g)].map((m) => m[1]!)
}

/**
 * Submits a page's form the way a browser without JavaScript would: a Server Action form is a
 * multipart POST to the page carrying the action's id in a hidden field. `button` picks the form.
 */
export async function submitForm(
  page: Page,
  path: string,
  button: string,
  fields: Record<string, string | string[]> = {},
  options: { formFrom?: Page } = {},
): Promise<APIResponse> {
  // `formFrom`: read the form as another reader sees it (e.g. an editor's form, posted by someone else).
  const html = await (await (options.formFrom ?? page).request.get(path)).text()
  const form = [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].find((match) => match[1]!.includes(`>${button}<`))
  if (!form) throw new Error(`no form with a "${button}" button on ${path}`)
  const multipart: Record<string, string> = {}
  for (const input of form[1]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1]
    if (name) multipart[name.replaceAll('&amp;', '&')] = (/value="([^"]*)"/.exec(input[0])?.[1] ?? '').replaceAll('&amp;', '&')
  }
  const data = new FormData()
  for (const [name, value] of Object.entries({ ...multipart, ...fields })) for (const v of Array.isArray(value) ? value : [value]) data.append(name, v)
  const origin = new URL(test.info().project.use.baseURL as string).origin
  return page.request.post(path, { multipart: data, maxRedirects: 0, headers: { origin } })
}

/** Starts preview-as from the editors' form (clearing what the form starts with), then lands on `returnTo`. */
export async function previewAs(page: Page, audience: { roles?: string[]; tenant?: string; plan?: string; anonymous?: boolean }, returnTo: string) {
  await page.goto(`/preview?returnTo=${encodeURIComponent(returnTo)}`)
  const form = page.getByTestId('preview-form')
  // The form starts from the current preview: clear it first.
  for (const box of await form.getByRole('checkbox').all()) await box.uncheck()
  if (audience.anonymous) await form.getByLabel('Signed-out reader (anonymous)').check()
  for (const role of audience.roles ?? []) await form.getByLabel(role, { exact: true }).check()
  if (audience.tenant) await form.getByLabel('Organization').selectOption(audience.tenant)
  if (audience.plan) await form.getByLabel('Plan').selectOption(audience.plan)
  await form.getByRole('button', { name: 'Preview' }).click()
  await expect(page).toHaveURL(returnTo)
}

/** The red team's open-redirect payloads for returnTo (and an oversized one that once broke sign-in). */
export const REDIRECT_PAYLOADS = [
  '/..//evil.example',
  '/.//evil.example',
  '/a/..//evil.example',
  '/%2e%2e//evil.example',
  '/docs/..//evil.example/x?y#z',
  '/' + 'a'.repeat(6000),
]

/**
 * Presses ⌘K/Ctrl+K once the search shortcuts listen: a key pressed before hydration reaches no
 * listener (under load the page can be visible well before it is interactive).
 */
export async function openSearchWithKeyboard(page: Page) {
  await expect(page.getByTestId('search-open')).toHaveAttribute('data-shortcuts', 'on')
  await page.keyboard.press('ControlOrMeta+k')
}

/**
 * Waits, if needed, until at least `neededSeconds` remain of the current rate-limit window (windows are
 * aligned to the clock, lib/ratelimit/limiter.ts): a test that spends a budget must not straddle two
 * windows, or its last request lands in a fresh one and is allowed.
 */
export async function freshRateWindow(neededSeconds = 15, windowSeconds = 60): Promise<void> {
  const left = windowSeconds * 1000 - (Date.now() % (windowSeconds * 1000))
  if (left < neededSeconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 100))
}
