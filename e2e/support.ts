import { expect, type Page } from '@playwright/test'

export const IDP_ORIGIN = 'http://localhost:4100'

/** Signs in through the local IdP's real login form, as a person would. */
export async function signIn(page: Page, username: string, options: { password?: string; returnTo?: string } = {}) {
  const returnTo = options.returnTo ?? '/'
  await page.goto(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`)
  await page.getByRole('link', { name: 'Continue to sign in' }).click()
  await expect(page).toHaveURL(new RegExp(`^${IDP_ORIGIN}/interaction/`))
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(options.password ?? 'password')
  await page.getByRole('button', { name: 'Sign in' }).click()
}

export async function signInAndReturn(page: Page, username: string, returnTo = '/') {
  await signIn(page, username, { returnTo })
  await expect(page).toHaveURL((url) => url.origin === new URL(page.url()).origin && url.pathname === returnTo.split('?')[0])
  await expect(page.getByTestId('viewer-name')).toBeVisible()
}
