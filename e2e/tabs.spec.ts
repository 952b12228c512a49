import { expect, test, type Page } from '@playwright/test'
import { seedMarkers } from '../tests/access-matrix'
import { signInAndReturn } from './support'

// Two tabs of one browser (one Playwright context: shared cookies and localStorage). A link hovered
// in tab A is prefetched with the gated page's body; the reader signs out in tab B; the click in tab A
// must then reach the server (and so sign-in), never render the body it prefetched for the session
// that ended (README, *Security model*, "Sign-out reaches every tab").

const SLUG = 'acme-runbook' // alice reads it (acme tenant); signed out it redirects to sign-in
const MARKER = seedMarkers()[SLUG]!

/** Records, in the page, whether MARKER ever shows up in its DOM from now on. */
async function watchForMarker(page: Page) {
  await page.evaluate((marker) => {
    const w = window as unknown as { sawMarker: boolean }
    w.sawMarker = document.body.innerText.includes(marker)
    new MutationObserver(() => {
      if (document.body.innerText.includes(marker)) w.sawMarker = true
    }).observe(document, { subtree: true, childList: true, characterData: true })
  }, MARKER)
}
const sawMarker = (page: Page) => page.evaluate(() => (window as unknown as { sawMarker?: boolean }).sawMarker === true)

/** Tab A signed in on the home page with the gated doc's full prefetch (its body included) in its router cache. */
async function prefetchedTab(page: Page) {
  // The route tree (`/_tree`) carries no content; the other RSC request is the page's full render.
  // (Its body is not read here: Chromium often drops a streamed body the page consumed, reporting it
  // aborted; that the render holds the body is checked with the same session below.)
  const rendered: number[] = []
  page.on('response', (response) => {
    const request = response.request()
    const url = new URL(request.url())
    if (request.headers()['rsc'] === '1' && !request.headers()['next-router-segment-prefetch'] && url.pathname === `/docs/${SLUG}`)
      rendered.push(response.status())
  })
  await signInAndReturn(page, 'alice', '/')
  // Hydrated (the header's search listens), so the pointer's intent reaches the link.
  await expect(page.getByTestId('search-open')).toHaveAttribute('data-shortcuts', 'on')
  const link = page.locator(`a[href="/docs/${SLUG}"]`).first()
  await link.hover()
  await expect.poll(() => rendered, { message: 'the hover prefetched the page' }).toEqual([200])
  const rsc = await page.request.get(`/docs/${SLUG}?_rsc`, { headers: { RSC: '1' }, maxRedirects: 0 })
  expect(await rsc.text(), 'what this session prefetched holds the body').toContain(MARKER)
  return link
}

async function signOutIn(tab: Page) {
  await tab.goto('/')
  await tab.getByRole('button', { name: 'Sign out' }).click()
  await expect(tab.getByRole('link', { name: 'Sign in' })).toBeVisible()
}

test('sign-out in one tab: a link prefetched in another tab goes to sign-in, never to the prefetched body', async ({ page, context }) => {
  const link = await prefetchedTab(page)
  const tabB = await context.newPage()
  await signOutIn(tabB)

  // Tab A is told at once: its header says signed out, without a reload or a click.
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible()
  await watchForMarker(page)
  await link.click()
  await expect(page).toHaveURL((url) => url.pathname === '/sign-in' && url.searchParams.get('returnTo') === `/docs/${SLUG}`)
  expect(await sawMarker(page), 'the prefetched body was shown after sign-out').toBe(false)
  expect(await page.content()).not.toContain(MARKER)
})

test('a tab that missed the sign-out message still never shows what it prefetched for the ended session', async ({ page, context }) => {
  // Tab A hears nothing from the other tab: every `storage` event is swallowed before the app's listener.
  await page.addInitScript(() => window.addEventListener('storage', (event) => event.stopImmediatePropagation(), true))
  const link = await prefetchedTab(page)
  const tabB = await context.newPage()
  await signOutIn(tabB)

  await watchForMarker(page)
  await link.click()
  await expect(page).toHaveURL((url) => url.pathname === '/sign-in' && url.searchParams.get('returnTo') === `/docs/${SLUG}`)
  expect(await sawMarker(page), 'the prefetched body was shown after sign-out').toBe(false)
  expect(await page.content()).not.toContain(MARKER)
})
