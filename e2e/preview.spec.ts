import { expect, test } from '@playwright/test'
import { seedMarkers } from '../tests/access-matrix'
import { stacks } from './stacks'
import { previewAs, signInAndReturn, submitForm } from './support'

// Editors (role content_editor: erin) preview any audience, drafts included; nobody else can.

const markers = seedMarkers()

test('erin previews partner-onboarding as partner_admin and as customer_viewer', async ({ page }) => {
  await signInAndReturn(page, 'erin')
  // As herself she cannot read it, and as an editor she sees why.
  await page.goto('/docs/partner-onboarding')
  await expect(page.getByTestId('rule-role')).toHaveAttribute('data-pass', 'false')

  await previewAs(page, { roles: ['partner_admin'] }, '/docs/partner-onboarding')
  await expect(page.getByTestId('preview-banner')).toContainText('roles partner_admin')
  await expect(page.getByTestId('doc-body')).toContainText(markers['partner-onboarding']!)

  await previewAs(page, { roles: ['customer_viewer'], tenant: 'globex', plan: 'free' }, '/docs/partner-onboarding')
  expect((await page.request.get('/docs/partner-onboarding', { maxRedirects: 0 })).status()).toBe(403)
  await expect(page.getByTestId('locked-teaser')).toContainText('Partner onboarding')
  await expect(page.getByTestId('rule-role')).toHaveAttribute('data-pass', 'false')
  await expect(page.getByTestId('rule-tenant')).toHaveAttribute('data-pass', 'true')
  await expect(page.getByTestId('rule-explainer')).toContainText('one of partner_admin')
  await expect(page.getByTestId('doc-body')).toHaveCount(0)

  await previewAs(page, { anonymous: true }, '/docs/member-faq')
  await expect(page.getByTestId('preview-sign-in')).toBeVisible()
  await expect(page.getByTestId('preview-banner')).toContainText('a signed-out reader')

  await page.getByRole('button', { name: 'Exit preview' }).click()
  await expect(page.getByTestId('preview-banner')).toHaveCount(0)
})

test('bob cannot preview: forged cookie, query string or header show only his own view', async ({ page, browser }) => {
  // Obtain a genuine preview cookie as erin…
  const erin = await browser.newContext({ baseURL: `http://localhost:${stacks.local.app}` })
  const erinPage = await erin.newPage()
  await signInAndReturn(erinPage, 'erin')
  await previewAs(erinPage, { roles: ['partner_admin', 'customer_admin'], tenant: 'acme', plan: 'enterprise' }, '/')
  const stolen = (await erin.cookies()).find((c) => c.name === 'gh_preview')!
  expect(stolen).toBeDefined()

  // …and hand it to bob.
  await signInAndReturn(page, 'bob')
  await page.context().addCookies([{ ...stolen }])
  const forged = await page.request.get('/docs/partner-onboarding?preview=partner_admin&as=partner_admin', {
    maxRedirects: 0,
    headers: { 'x-gatehouse-preview': '{"roles":["partner_admin"]}', 'x-preview-roles': 'partner_admin' },
  })
  expect(forged.status()).toBe(403)
  const html = await forged.text()
  expect(html).not.toContain(markers['partner-onboarding'])
  expect(html).not.toContain('rule-explainer')
  expect(await (await page.request.get('/')).text()).not.toContain('preview-banner')
  // The preview action itself, called by bob with the form erin is shown: refused (sent to the 403 page), no cookie.
  const start = await submitForm(page, '/preview', 'Preview', { roles: 'partner_admin' }, { formFrom: erinPage })
  expect(start.status()).toBe(303)
  expect(start.headers().location).toBe('/preview')
  expect(start.headers()['set-cookie'] ?? '').not.toContain('gh_preview')
  expect((await page.request.get('/preview', { maxRedirects: 0 })).status()).toBe(403)
  await erin.close()
})

test('a draft edit shows in preview and not in the published view', async ({ page, request }) => {
  const lake = `http://localhost:${stacks.local.lake}`
  const draftTitle = 'Member FAQ (draft, unpublished)'
  const response = await request.post(`${lake}/v2025-02-19/data/mutate/production`, {
    headers: { authorization: 'Bearer gatehouse-local-write-token' },
    data: {
      mutations: [
        {
          createOrReplace: {
            _id: 'drafts.gatedPage.member-faq',
            _type: 'gatedPage',
            title: draftTitle,
            slug: { _type: 'slug', current: 'member-faq' },
            audience: 'signedIn',
            visibility: 'teaser',
            body: [],
          },
        },
      ],
    },
  })
  expect(response.ok()).toBe(true)
  try {
    await signInAndReturn(page, 'erin')
    await page.goto('/docs/member-faq')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Member FAQ')
    await previewAs(page, { roles: ['customer_viewer'] }, '/docs/member-faq')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(draftTitle)
    await page.getByRole('button', { name: 'Exit preview' }).click()
    await expect(page.getByTestId('preview-banner')).toHaveCount(0) // the exit action has finished
    await page.goto('/docs/member-faq')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Member FAQ')
  } finally {
    await request.post(`${lake}/v2025-02-19/data/mutate/production`, {
      headers: { authorization: 'Bearer gatehouse-local-write-token' },
      data: { mutations: [{ delete: { id: 'drafts.gatedPage.member-faq' } }] },
    })
  }
})
