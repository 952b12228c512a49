import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { expect, test } from '@playwright/test'
import { bearerToken } from './api-tokens'
import { appUrl } from './sessions'
import { expectNoLeaks, openSearchWithKeyboard, previewAs, signInAndReturn } from './support'

// Restricted sections in the browser, search (⌘K and without JavaScript) and the editors' audit
// trail. The per-reader matrix of sections, Markdown, llms.txt and search runs in checkMatrix.

test.describe('restricted sections', () => {
  test('a teaser section is one line, out of the table of contents and the RSC payload', async ({ page }) => {
    await signInAndReturn(page, 'bob')
    await page.goto('/docs/events-api')
    const teaser = page.locator('[data-testid="restricted-block"][data-state="teaser"]')
    await expect(teaser).toHaveCount(1)
    await expect(teaser).toContainText('A section of this page is locked for you.')
    await expect(page.getByTestId('toc')).not.toContainText('Partner-only fields')
    await expect(page.getByTestId('doc-body')).not.toContainText('Partner-only fields')
    // What a client-side navigation fetches (RSC) carries no more than the HTML did.
    const rsc = await (await page.request.get('/docs/events-api?_rsc', { headers: { RSC: '1' } })).text()
    expect(rsc).toContain('A section of this page is locked for you.')
    expect(rsc).not.toContain('Partner-only fields')
    expectNoLeaks(rsc, 'bob', 'RSC payload of events-api for bob')
  })

  test('a reader who may see it gets the section, in the table of contents too', async ({ page }) => {
    await signInAndReturn(page, 'alice')
    await page.goto('/docs/events-api')
    await expect(page.locator('[data-testid="restricted-block"][data-state="shown"]')).toContainText('Partner-only fields')
    await expect(page.getByTestId('toc')).toContainText('Partner-only fields')
  })

  test('editors see why a section is closed, and preview-as shows it to the audience that may see it', async ({ page }) => {
    await signInAndReturn(page, 'erin')
    await page.goto('/docs/events-api')
    await expect(page.getByText('Why this audience cannot see this section (editors only)')).toBeVisible()
    await previewAs(page, { roles: ['partner_admin'], tenant: 'acme' }, '/docs/events-api')
    await expect(page.locator('[data-testid="restricted-block"][data-state="shown"]')).toContainText('Restricted section, shown to this audience')
    await page.getByRole('button', { name: 'Exit preview' }).click()
    await expect(page.getByTestId('preview-banner')).toHaveCount(0)
  })
})

test.describe('search', () => {
  test('⌘K opens a keyboard-driven dialog; Enter opens the active result; Esc closes it', async ({ page }) => {
    await page.goto('/')
    await openSearchWithKeyboard(page)
    const dialog = page.getByTestId('search-dialog')
    await expect(dialog).toBeVisible()
    const input = dialog.getByRole('combobox', { name: 'Search the docs' })
    await expect(input).toBeFocused()
    await input.fill('signature')
    const options = dialog.getByRole('option')
    await expect(options.first()).toContainText('Webhook signatures')
    await expect(options.first()).toHaveAttribute('aria-selected', 'true')
    await expect(options.first().locator('mark').first()).toHaveText(/signature/i)
    await input.press('Enter')
    await expect(page).toHaveURL(/\/docs\/webhook-signatures$/)

    // "/" opens it too (outside a text field); Escape closes it.
    await page.locator('body').press('/')
    await expect(dialog).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    // Opened from the header's button by keyboard, Escape returns focus to the button.
    await page.getByTestId('search-open').focus()
    await page.keyboard.press('Enter')
    await expect(dialog).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    await expect(page.getByTestId('search-open')).toBeFocused()
  })

  test('locked results show what they need, never their text; hidden docs are not results', async ({ page }) => {
    await signInAndReturn(page, 'bob')
    await openSearchWithKeyboard(page)
    const dialog = page.getByTestId('search-dialog')
    await dialog.getByRole('combobox').fill('acme')
    const locked = dialog.locator('[role="option"][data-locked="true"]', { hasText: 'Acme incident runbook' })
    await expect(locked).toContainText('(locked)')
    await expect(locked).toContainText('Only for members of the acme organization.')
    expectNoLeaks(await dialog.innerHTML(), 'bob', 'the search dialog of bob')
  })

  test('/search works without JavaScript: a GET form and highlighted snippets', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto('/search')
    await page.getByRole('searchbox', { name: 'Search the docs' }).fill('signature')
    await page.getByRole('button', { name: 'Search' }).click()
    await expect(page).toHaveURL(/\/search\?q=signature$/)
    await expect(page.getByTestId('search-count')).toContainText('result')
    await expect(page.getByRole('link', { name: 'Webhook signatures' })).toBeVisible()
    await expect(page.locator('mark').first()).toHaveText(/signature/i)
    expectNoLeaks(await page.content(), 'anon', '/search without JavaScript')
    // Hostile queries are words, not GROQ: no error, nothing beyond what the reader may know.
    for (const q of ['*', '"] | *[_type == "memberProfile"]{name}', '%00', '\u202e'.repeat(50), 'a'.repeat(5000)]) {
      const response = await page.request.get(`/search?q=${encodeURIComponent(q)}`)
      expect(response.status(), q.slice(0, 20)).toBe(200)
      const html = await response.text()
      expectNoLeaks(html, 'anon', `search ${q.slice(0, 20)}`)
      expect(html).not.toContain('Mallory')
    }
    await context.close()
  })
})

test.describe('audit trail', () => {
  test('is for editors only', async ({ page }) => {
    const anonymous = await page.request.get('/audit', { maxRedirects: 0 })
    expect(anonymous.status()).toBe(307)
    expect(anonymous.headers().location).toBe('/sign-in?returnTo=%2Faudit')
    await signInAndReturn(page, 'alice')
    expect((await page.request.get('/audit', { maxRedirects: 0 })).status()).toBe(403)
    expect((await page.request.get('/audit?doc=partner-onboarding', { maxRedirects: 0 })).status()).toBe(403)
    await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0)
  })

  test('records reads, refusals, 404s, searches and Markdown with who and why, never text; filters and who-can-read', async ({ page, browser }) => {
    const bobContext = await browser.newContext()
    const bob = await bobContext.newPage()
    await signInAndReturn(bob, 'bob')
    expect((await bob.request.get('/docs/member-faq')).status()).toBe(200)
    expect((await bob.request.get('/docs/partner-onboarding')).status()).toBe(403)
    expect((await bob.request.get('/docs/no-such-doc-here')).status()).toBe(404)
    expect((await bob.request.get('/docs/member-faq.md')).status()).toBe(200)
    expect((await bob.request.get('/api/search?q=secret%20words')).status()).toBe(200)
    expect((await bob.request.get('/llms.txt')).status()).toBe(200)
    await bobContext.close()
    // bob's assistant, through MCP with his access token.
    const assistant = new Client({ name: 'audit-e2e', version: '1.0.0' })
    const token = await bearerToken('local', 'bob')
    await assistant.connect(
      new StreamableHTTPClientTransport(new URL(`${appUrl('local')}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    )
    await assistant.callTool({ name: 'read_doc', arguments: { slug: 'partner-api' } })
    await assistant.close()
    // Someone signed out, sent to sign in.
    expect((await page.request.get('/docs/workspace-setup', { maxRedirects: 0 })).status()).toBe(307)

    await signInAndReturn(page, 'erin')
    await page.getByRole('link', { name: 'Audit' }).click()
    await expect(page).toHaveURL('/audit')
    await page.getByLabel('Reader (subject)').fill('bob')
    await page.getByRole('button', { name: 'Filter' }).click()
    await expect(page).toHaveURL(/\/audit\?reader=bob/)
    const rows = page.getByTestId('audit-row')
    await expect(rows.filter({ hasText: 'partner-onboarding' }).filter({ hasText: 'refused (403)' }).first()).toContainText('failed: role')
    await expect(rows.filter({ hasText: 'member-faq' }).filter({ hasText: 'md' }).first()).toContainText('read')
    await expect(rows.filter({ hasText: 'no-such-doc-here' }).first()).toContainText('not found (404)')
    await expect(rows.filter({ hasText: 'search' }).first()).toContainText(/query [0-9a-f]{12}/)
    await expect(rows.filter({ hasText: 'llms' }).first()).toContainText('listing')
    await expect(rows.filter({ hasText: 'partner-api' }).first()).toContainText('mcp')
    for (const row of await rows.all()) await expect(row).toContainText('bob')
    const html = await page.content()
    expect(html).not.toContain('secret words')
    expectNoLeaks(html, 'erin', 'the audit page')

    await page.getByLabel('Decision').selectOption('forbidden')
    await page.getByRole('button', { name: 'Filter' }).click()
    for (const row of await rows.all()) await expect(row).toContainText('refused (403)')

    await page.goto('/audit?doc=workspace-setup&decision=signIn')
    await expect(rows.first()).toContainText('signed out')
    await expect(rows.first()).toContainText('sent to sign in')

    // An editor's preview is recorded, and what she reads while previewing says so.
    await previewAs(page, { roles: ['customer_viewer'] }, '/docs/member-faq')
    await page.goto('/audit?reader=erin')
    await expect(rows.filter({ hasText: 'preview' }).first()).toBeVisible()
    await expect(rows.filter({ hasText: 'member-faq' }).filter({ hasText: 'previewing an audience' }).first()).toBeVisible()
    await page.getByRole('button', { name: 'Exit preview' }).click()
    await expect(page.getByTestId('preview-banner')).toHaveCount(0)

    // Who can read a doc: members whose profile passes the rule now, computed by Sanity.
    await page.goto('/audit?doc=acme-runbook')
    const who = page.getByTestId('who-can-read')
    await expect(who).toContainText('Alice')
    await expect(who).toContainText('Carol')
    await expect(who).not.toContainText('Bob')
  })

  test('malformed filters are ignored and named, never echoed', async ({ page }) => {
    await signInAndReturn(page, 'erin')
    const response = await page.request.get(`/audit?reader=${encodeURIComponent('\u0000<img src=x onerror=alert(1)>')}&doc=..%2F..%2Fetc&decision=drop&page=-1`)
    expect(response.status()).toBe(200)
    const html = await response.text()
    expect(html).not.toContain('onerror=alert(1)>')
    expect(html).not.toContain('../../etc')
    await page.goto('/audit?reader=a&reader=b&page=99999999')
    await expect(page.getByTestId('audit-ignored')).toContainText('reader')
  })
})
