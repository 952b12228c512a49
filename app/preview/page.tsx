import type { Metadata } from 'next'
import { forbidden, redirect } from 'next/navigation'
import { getAudience } from '@/lib/auth/dal'
import { safeReturnTo } from '@/lib/auth/return-to'
import { getAccessOptions } from '@/lib/content/docs'

export const metadata: Metadata = { title: 'Preview as an audience' }

type Props = { searchParams: Promise<{ returnTo?: string | string[] }> }

export default async function PreviewPage({ searchParams }: Props) {
  const audience = await getAudience()
  if (!audience.isEditor) {
    if (!audience.viewer) redirect('/sign-in?returnTo=%2Fpreview')
    forbidden()
  }
  const params = await searchParams
  const returnTo = safeReturnTo(typeof params.returnTo === 'string' ? params.returnTo : null)
  const options = await getAccessOptions()
  const current = audience.preview
  return (
    <section className="mx-auto max-w-lg space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Preview as an audience</h1>
        <p className="mt-1 text-sm text-stone-600">See every page exactly as these readers would, drafts included, through the same access rule.</p>
      </div>
      <form action="/api/preview" method="post" className="space-y-5 rounded-lg border border-stone-200 bg-white p-6" data-testid="preview-form">
        <input type="hidden" name="returnTo" value={returnTo} />
        <label className="flex items-center gap-2 font-medium">
          <input type="checkbox" name="anonymous" defaultChecked={current?.anonymous} /> Signed-out reader (anonymous)
        </label>
        <fieldset>
          <legend className="text-sm font-medium text-stone-700">Roles</legend>
          <div className="mt-2 grid grid-cols-2 gap-1 text-sm">
            {options.roles.map((role) => (
              <label key={role.key} className="flex items-center gap-2">
                <input type="checkbox" name="roles" value={role.key} defaultChecked={current?.roles.includes(role.key)} /> {role.key}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="block text-sm font-medium text-stone-700">
          Organization
          <select name="tenant" defaultValue={current?.tenant ?? ''} className="mt-1 block w-full rounded-md border border-stone-300 p-2">
            <option value="">none</option>
            {options.tenants.map((tenant) => (
              <option key={tenant.tenantId} value={tenant.tenantId}>
                {tenant.name ?? tenant.tenantId}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium text-stone-700">
          Plan
          <select name="plan" defaultValue={current?.plan ?? ''} className="mt-1 block w-full rounded-md border border-stone-300 p-2">
            <option value="">none</option>
            {options.plans.map((plan) => (
              <option key={plan.slug} value={plan.slug}>
                {plan.title ?? plan.slug}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="w-full rounded-md bg-stone-900 px-4 py-2 font-medium text-white hover:bg-stone-700">
          Preview
        </button>
      </form>
    </section>
  )
}
