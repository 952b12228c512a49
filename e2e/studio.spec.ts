import { expect, test } from '@playwright/test'
import { stacks } from './stacks'

const lake = `http://localhost:${stacks.local.lake}`
const WRITE = { authorization: 'Bearer gatehouse-local-write-token' }

test('on the embedded defaults /studio explains that a Sanity project is needed; the app still works', async ({ page }) => {
  await page.goto('/studio')
  await expect(page.getByTestId('studio-notice')).toContainText('The Studio needs a Sanity project')
  await page.goto('/docs/getting-started')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Getting started')
})

test('draft mode: only a valid preview secret enables it, and it shows drafts', async ({ page, request }) => {
  const draftTitle = 'Getting started (draft in Presentation)'
  const mutate = (mutations: unknown[]) => request.post(`${lake}/v2025-02-19/data/mutate/production`, { headers: WRITE, data: { mutations } })
  // What the Presentation tool stores before opening a preview, and an editor's unpublished change.
  expect(
    (
      await mutate([
        { createOrReplace: { _id: 'sanity-preview-url-secret.e2e', _type: 'sanity.previewUrlSecret', secret: 'e2e-preview-secret', studioUrl: '/studio' } },
        {
          createOrReplace: {
            _id: 'drafts.gatedPage.getting-started',
            _type: 'gatedPage',
            title: draftTitle,
            slug: { _type: 'slug', current: 'getting-started' },
            audience: 'public',
            visibility: 'teaser',
            body: [],
          },
        },
      ])
    ).ok(),
  ).toBe(true)
  try {
    const forged = await page.request.get('/api/draft-mode/enable?sanity-preview-secret=guess&sanity-preview-pathname=/docs/getting-started', {
      maxRedirects: 0,
    })
    expect(forged.status()).toBe(401)
    await page.goto('/docs/getting-started')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Getting started')

    await page.goto('/api/draft-mode/enable?sanity-preview-secret=e2e-preview-secret&sanity-preview-pathname=/docs/getting-started')
    await expect(page).toHaveURL('/docs/getting-started')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(draftTitle)

    await page.goto('/api/draft-mode/disable')
    await page.goto('/docs/getting-started')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Getting started')
  } finally {
    await mutate([{ delete: { id: 'drafts.gatedPage.getting-started' } }, { delete: { id: 'sanity-preview-url-secret.e2e' } }])
  }
})
