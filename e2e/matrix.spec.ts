import { expect, test } from '@playwright/test'
import { readers, seedMarkers } from '../tests/access-matrix'
import { checkMatrix, expectNoForeignMarkers, signInAndReturn } from './support'

const markers = seedMarkers()

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
  await expect(page).toHaveURL(/\/docs\/acme-runbook$/)
  await expect(page.getByTestId('locked-teaser')).toContainText('Acme incident runbook')
  await expect(page.getByTestId('missing-requirements')).toContainText('Only for members of the acme organization.')
  await page.goto('/docs/enterprise-sso')
  await expect(page.getByTestId('missing-requirements')).toContainText('Requires one of these plans: enterprise.')
  const seen = payloads.join('\n') + (await page.content())
  expectNoForeignMarkers(seen, ['getting-started', 'member-faq'], 'browser session of bob')
})

test('a reader sees their own docs rendered', async ({ page }) => {
  await signInAndReturn(page, 'dave')
  await page.getByTestId('readable-docs').getByRole('link', { name: 'Beta features', exact: true }).click()
  await expect(page.getByTestId('doc-body')).toContainText(markers['beta-features']!)
})
