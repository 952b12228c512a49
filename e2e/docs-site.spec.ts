import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { localDefaults } from '../lib/config/defaults'
import { accessMatrix, expectedOutcome, loadSeed, seedMarkers, type Reader } from '../tests/access-matrix'
import { hiddenTitles } from '../tests/leaks'
import { stacks } from './stacks'
import { expectNoLeaks, openSearchWithKeyboard, signInAndReturn } from './support'

// The documentation site in Chromium, on the embedded defaults: layout, rich content, links by access,
// SEO and accessibility. What each reader may receive is asserted in e2e/matrix.spec.ts; here, what
// they see.

const seedPages = loadSeed().filter((doc) => doc._type === 'gatedPage')
const titleOf = (slug: string) => String(seedPages.find((d) => (d.slug as { current: string }).current === slug)!.title)
const slugs = Object.keys(accessMatrix)
const sidebar = (page: Page) => page.getByTestId('sidebar')

test.describe('sidebar', () => {
  for (const reader of ['anon', 'alice', 'dave'] as Reader[]) {
    test(`lists what ${reader} may read, locks teasers, never shows a hidden doc`, async ({ page }) => {
      if (reader === 'anon') await page.goto('/')
      else await signInAndReturn(page, reader)
      for (const slug of slugs) {
        const link = sidebar(page).locator(`a[href="/docs/${slug}"]`)
        const outcome = expectedOutcome(slug, reader)
        if (outcome === 'notFound') {
          await expect(link, slug).toHaveCount(0)
          continue
        }
        await expect(link, slug).toHaveCount(1)
        // Locked entries say so (lock icon, "(locked)" for screen readers); readable ones carry nothing.
        expect(await link.getAttribute('data-locked'), slug).toBe(outcome === 'read' ? null : 'true')
      }
      const html = await page.content()
      for (const title of hiddenTitles(reader)) expect(html, title).not.toContain(title)
    })
  }

  test('marks the current page, collapses sections, and is keyboard navigable', async ({ page }) => {
    await page.goto('/docs/authentication')
    await expect(sidebar(page).locator('a[aria-current="page"]')).toHaveAttribute('href', '/docs/authentication')
    const summary = sidebar(page).locator('summary', { hasText: 'API reference' })
    await summary.focus()
    await page.keyboard.press('Enter')
    await expect(sidebar(page).locator('a[href="/docs/errors"]')).toBeHidden()
    await page.keyboard.press('Enter')
    await expect(sidebar(page).locator('a[href="/docs/errors"]')).toBeVisible()
    await page.keyboard.press('Tab')
    await expect(page.locator(':focus')).toHaveAttribute('href', '/docs/api-overview')
  })

  test('is a drawer on a phone: opens, closes on Escape with focus back, closes on navigation', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 })
    await page.goto('/docs/getting-started')
    const toggle = page.getByTestId('sidebar-toggle')
    await expect(sidebar(page)).toBeHidden()
    await toggle.click()
    await expect(toggle).toHaveAttribute('aria-expanded', 'true')
    await expect(sidebar(page)).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(sidebar(page)).toBeHidden()
    await expect(toggle).toBeFocused()
    await toggle.click()
    await sidebar(page).getByRole('link', { name: 'Glossary' }).click()
    await expect(page).toHaveURL(/\/docs\/glossary$/)
    await expect(sidebar(page)).toBeHidden()
  })
})

test.describe('a doc page', () => {
  test('has breadcrumbs, a table of contents with working anchors, previous/next and last updated', async ({ page }) => {
    await page.goto('/docs/webhook-signatures')
    await expect(page.getByTestId('breadcrumbs')).toHaveText(/Docs\s*\/\s*API reference\s*\/\s*Webhook signatures/)
    await expect(page.getByTestId('last-updated')).toContainText('Last updated')
    const toc = page.getByTestId('toc')
    const first = toc.getByRole('link').first()
    const hash = (await first.getAttribute('href'))!
    await first.click()
    await expect(page).toHaveURL(new RegExp(`${hash}$`))
    await expect(page.locator(hash)).toBeInViewport()
    // Anchored headings link to themselves.
    await expect(page.locator(`${hash} a[href="${hash}"]`)).toHaveCount(1)
    const pager = page.getByTestId('pager')
    await expect(pager.locator('a[rel="prev"]')).toHaveAttribute('href', '/docs/errors')
    // Rate limits is locked for a signed-out reader: next skips to the next readable page.
    await page.goto('/docs/errors')
    await expect(page.getByTestId('pager').locator('a[rel="next"]')).toHaveAttribute('href', '/docs/webhook-signatures')
  })

  test('code blocks are highlighted on the server and copy to the clipboard', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.goto('/docs/webhook-signatures')
    const block = page.getByTestId('code-block').first()
    await expect(block.locator('pre.shiki span[style*="color"]').first()).toBeVisible()
    const code = await block.locator('pre').innerText()
    await block.getByTestId('copy-code').click()
    await expect(block.getByTestId('copy-code')).toContainText('Copied')
    expect((await page.evaluate(() => navigator.clipboard.readText())).trim()).toBe(code.trim())
  })

  test('callouts, tables and images render; images load from the configured image base', async ({ page }) => {
    await page.goto('/docs/getting-started')
    await expect(page.getByTestId('callout').first()).toBeVisible()
    await expect(page.getByTestId('doc-body').locator('table th').first()).toBeVisible()
    const image = page.getByTestId('doc-body').locator('img').first()
    await expect(image).toHaveAttribute('alt', /.+/)
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)
    expect(await image.getAttribute('src')).toMatch(
      new RegExp(`^http://localhost:${stacks.local.lake}/images/local/production/[0-9a-f]{40}-\\d+x\\d+\\.png\\?`),
    )
  })

  test('links to other docs: a link if readable, a locked link to the teaser, text if hidden', async ({ page }) => {
    // getting-started links to the Member FAQ (signed-in) and to the hidden preview programme page.
    await page.goto('/docs/getting-started')
    const body = page.getByTestId('doc-body')
    await expect(body.locator('a[data-link="read"][href="/docs/quickstart"]').first()).toBeVisible()
    await expect(body.locator('a[data-link="locked"][href="/docs/member-faq"]').first()).toContainText('Member FAQ')
    await expect(body.locator('span[data-link="text"]', { hasText: 'preview programme' })).toHaveCount(1)
    expect(await page.content()).not.toContain('/docs/beta-features')
    await signInAndReturn(page, 'dave', '/docs/getting-started')
    await expect(page.getByTestId('doc-body').locator('a[data-link="read"][href="/docs/beta-features"]')).toContainText('preview programme')
    await expect(page.getByTestId('doc-body').locator('a[data-link="read"][href="/docs/member-faq"]').first()).toBeVisible()
  })

  test('the locked teaser keeps the docs layout and says what is missing', async ({ page }) => {
    await signInAndReturn(page, 'bob')
    await sidebar(page)
      .getByRole('link', { name: /Acme incident runbook/ })
      .click()
    await expect(page.getByTestId('locked-teaser')).toContainText('Only for members of the acme organization.')
    await expect(page.getByTestId('breadcrumbs')).toContainText('Tenant runbooks')
    await expect(sidebar(page).locator('a[aria-current="page"]')).toHaveAttribute('href', '/docs/acme-runbook')
  })
})

test.describe('home and section pages', () => {
  test('home shows sections with readable pages and a short locked summary', async ({ page }) => {
    await signInAndReturn(page, 'mallory')
    const sections = page.getByTestId('home-section')
    await expect(sections.first()).toContainText('Getting started')
    const locked = page.getByTestId('locked-docs')
    for (const note of await locked.all()) {
      await expect(note).toContainText(/locked for you/)
      expect(await note.locator('li').count()).toBeLessThanOrEqual(3)
    }
  })

  test('a section page lists its pages with what each needs; bad page numbers are 404', async ({ page }) => {
    await signInAndReturn(page, 'bob', '/sections/tenant-runbooks')
    await expect(page.getByTestId('section-pages').locator('a[data-locked="true"]', { hasText: 'Acme incident runbook' })).toBeVisible()
    await expect(page.getByTestId('section-pages')).toContainText('Globex incident runbook')
    // bob reads the Globex failover drill; mallory may not even count it.
    await expect(page.getByTestId('section-pages')).toContainText(titleOf('globex-failover-drill'))
    for (const path of [
      '/sections/tenant-runbooks?page=2',
      '/sections/tenant-runbooks?page=0',
      '/sections/tenant-runbooks?page=abc',
      '/sections/tenant-runbooks?page=1&page=2',
      '/sections/nope',
    ]) {
      expect((await page.request.get(path)).status(), path).toBe(404)
    }
  })
})

test.describe('SEO', () => {
  test('the sitemap lists public docs only; robots.txt points at it', async ({ request }) => {
    const xml = await (await request.get('/sitemap.xml')).text()
    const listed = [...xml.matchAll(/<loc>[^<]*\/docs\/([a-z0-9-]+)<\/loc>/g)].map((m) => m[1]).sort()
    expect(listed).toEqual(slugs.filter((s) => expectedOutcome(s, 'anon') === 'read').sort())
    expect(xml).toContain(`<loc>http://localhost:${stacks.local.app}/</loc>`)
    expectNoLeaks(xml, 'anon', 'sitemap.xml')
    const robots = await (await request.get('/robots.txt')).text()
    expect(robots).toContain(`Sitemap: http://localhost:${stacks.local.app}/sitemap.xml`)
    expect(robots).toContain('Disallow: /studio')
  })

  test('public docs are indexable with title, excerpt and canonical; gated docs are noindex', async ({ page }) => {
    await page.goto('/docs/authentication')
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'index, follow')
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', titleOf('authentication'))
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `http://localhost:${stacks.local.app}/docs/authentication`)
    await signInAndReturn(page, 'alice', '/docs/partner-onboarding')
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex, nofollow')
    const head = await page.locator('head').innerHTML()
    expect(head).not.toContain(seedMarkers()['partner-onboarding'])
    expect(head).not.toContain('/images/')
    await page.goto('/docs/member-faq')
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex, nofollow')
    // A 403 teaser's metadata (streamed in the response) names the doc, not when it last changed.
    const refused = await page.request.get('/docs/admin-guide')
    expect(refused.status()).toBe(403)
    const body = await refused.text()
    expect(body).toContain(titleOf('admin-guide'))
    expect(body).not.toContain('modified_time')
    expect(body).not.toContain('2026-08-30')
  })
})

test.describe('themes', () => {
  test('follows the system by default; a choice applies at once and survives a reload', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto('/docs/getting-started')
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(await background()).toBe('rgb(12, 10, 9)')
    await page.getByTestId('theme-toggle').getByRole('button', { name: 'Light theme' }).click()
    expect(await background()).toBe('rgb(250, 250, 249)')
    await page.reload()
    await expect(page.locator('html')).toHaveClass('light')
    expect(await background()).toBe('rgb(250, 250, 249)')
    await page.getByTestId('theme-toggle').getByRole('button', { name: 'Dark theme' }).click()
    await expect(page.getByTestId('theme-toggle').getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true')
    expect(await background()).toBe('rgb(12, 10, 9)')
  })
})

test.describe('accessibility (axe: no serious or critical violations)', () => {
  const check = async (page: Page, what: string) => {
    const results = await new AxeBuilder({ page }).analyze()
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(
      bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      what,
    ).toEqual([])
  }

  for (const theme of ['light', 'dark'] as const) {
    test(`home, doc, section, 404 and sign-in, ${theme}`, async ({ page, context }) => {
      await context.addCookies([{ name: 'gh_theme', value: theme, url: `http://localhost:${stacks.local.app}` }])
      for (const path of ['/', '/docs/webhook-signatures', '/docs/getting-started', '/sections/api-reference', '/docs/no-such-doc', '/sign-in']) {
        await page.goto(path)
        await check(page, `${path} (${theme})`)
      }
    })
  }

  test('403 teaser, account, preview, audit and a restricted section (signed in)', async ({ page }) => {
    await signInAndReturn(page, 'erin', '/docs/acme-runbook')
    await expect(page.getByTestId('locked-teaser')).toBeVisible()
    await check(page, '403 teaser')
    await page.goto('/account')
    await check(page, '/account')
    await page.goto('/preview')
    await check(page, '/preview')
    await page.goto('/audit?doc=acme-runbook')
    await check(page, '/audit')
    await page.goto('/docs/events-api') // a restricted section's teaser, with the editors' explainer
    await check(page, 'restricted section teaser')
  })

  test('search: the /search page and the open ⌘K dialog', async ({ page }) => {
    await page.goto('/search?q=webhook')
    await check(page, '/search')
    await openSearchWithKeyboard(page)
    await page.getByTestId('search-dialog').getByRole('combobox').fill('signature')
    await expect(page.getByTestId('search-dialog').getByRole('option').first()).toBeVisible()
    await check(page, 'search dialog')
  })

  test('search on a phone: a header button (no ⌘K there) opens the dialog, results come, a tap opens one', async ({ browser }) => {
    const context = await browser.newContext({
      baseURL: `http://localhost:${stacks.local.app}`,
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
    })
    const page = await context.newPage()
    try {
      await signInAndReturn(page, 'alice', '/docs/getting-started') // the fullest reader header: name and sign-out too
      const trigger = page.getByRole('banner').getByRole('link', { name: 'Search', exact: true })
      await expect(trigger).toBeVisible()
      await expect(trigger).toHaveAttribute('data-shortcuts', 'on') // hydrated: the tap opens the dialog, not /search
      const box = (await trigger.boundingBox())!
      expect(Math.min(box.width, box.height), 'a fingertip-sized target').toBeGreaterThanOrEqual(32)
      expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the header still fits').toBeLessThanOrEqual(390)
      await trigger.tap()
      const dialog = page.getByTestId('search-dialog')
      await expect(dialog).toBeVisible()
      await expect(dialog.getByRole('combobox')).toBeFocused()
      await dialog.getByRole('combobox').fill('signature')
      const first = dialog.getByRole('option').first()
      await expect(first).toBeVisible()
      await check(page, 'search dialog on a phone')
      const title = (await first.locator('p').first().innerText()).split('\n')[0]!
      await first.tap()
      await expect(page).toHaveURL(/\/docs\/[a-z0-9-]+$/)
      await expect(dialog).toBeHidden()
      await expect(page.getByRole('heading', { level: 1 })).toContainText(
        title
          .replace(/\s*\(locked\).*$/, '')
          .trim()
          .slice(0, 10),
      )
    } finally {
      await context.close()
    }
  })

  test('the mobile drawer, open', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 })
    await page.goto('/docs/getting-started')
    await page.getByTestId('sidebar-toggle').click()
    await check(page, 'drawer')
  })
})

test('content the Studio would refuse still renders safely: script links become text, links to non-docs say nothing', async ({ page, request }) => {
  const mutate = (mutations: unknown[]) =>
    request.post(`http://localhost:${stacks.local.lake}/v2025-02-19/data/mutate/production`, {
      headers: { authorization: `Bearer ${localDefaults.lakeWriteToken}` },
      data: { mutations },
    })
  const doc = {
    _id: 'gatedPage.e2e-hostile-links',
    _type: 'gatedPage',
    title: 'Hostile links',
    slug: { _type: 'slug', current: 'e2e-hostile-links' },
    audience: 'public',
    visibility: 'teaser',
    section: { _type: 'reference', _ref: 'docSection.guides' },
    body: [
      {
        _type: 'block',
        _key: 'b1',
        style: 'normal',
        markDefs: [
          { _type: 'link', _key: 'js', href: 'javascript:alert(document.cookie)' },
          { _type: 'docLink', _key: 'member', reference: { _type: 'reference', _ref: 'memberProfile.alice' } },
          { _type: 'docLink', _key: 'gone', reference: { _type: 'reference', _ref: 'gatedPage.does-not-exist' } },
        ],
        children: [
          { _type: 'span', _key: 's1', text: 'click me', marks: ['js'] },
          { _type: 'span', _key: 's2', text: ' profile', marks: ['member'] },
          { _type: 'span', _key: 's3', text: ' gone', marks: ['gone'] },
        ],
      },
      { _type: 'image', _key: 'i1', asset: { _type: 'reference', _ref: 'image-a0edeee7aa6faffa5783302c3b53874af89e06c2-960x300-png' } },
      { _type: 'code', _key: 'c1', language: '<script>', code: '</pre><script>alert(1)</script>' },
    ],
  }
  expect((await mutate([{ createOrReplace: doc }])).ok()).toBe(true)
  try {
    // A new slug is found once the content webhook has expired the cached page tree (the negative cache).
    await expect.poll(async () => (await page.request.get('/docs/e2e-hostile-links', { maxRedirects: 0 })).status(), { timeout: 5_000 }).toBe(200)
    await page.goto('/docs/e2e-hostile-links')
    const body = page.getByTestId('doc-body')
    await expect(body).toContainText('click me')
    await expect(body.locator('a[href^="javascript"]')).toHaveCount(0)
    await expect(body.locator('span[data-link="text"]')).toHaveCount(2)
    const html = await page.content()
    expect(html).not.toContain('Alice Anders')
    expect(html).not.toContain('memberProfile')
    // An image without alt text is dropped; code is text, never markup.
    await expect(body.locator('img')).toHaveCount(0)
    await expect(body.getByTestId('code-block')).toContainText('</pre><script>alert(1)</script>')
    await expect(body.locator('script')).toHaveCount(0)
  } finally {
    await mutate([{ delete: { id: doc._id } }])
  }
})
