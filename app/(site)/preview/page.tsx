import type { Metadata } from 'next'
import { forbidden, redirect } from 'next/navigation'
import { GRANT_DIMENSIONS, heldValues } from '@/lib/access/dimensions'
import { startPreview } from '@/lib/auth/actions'
import { getAudience } from '@/lib/auth/dal'
import { safeReturnTo } from '@/lib/auth/return-to'
import { getAccessOptions } from '@/lib/content/docs'

export const metadata: Metadata = { title: 'Preview as an audience', robots: { index: false, follow: false } }

type Props = { searchParams: Promise<{ returnTo?: string | string[]; error?: string | string[] }> }

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
        <p className="mt-1 text-sm text-muted">See every page exactly as these readers would, drafts included, through the same access rule.</p>
      </div>
      {params.error === 'invalid' && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          That audience could not be used. Pick values from the lists.
        </p>
      )}
      <form action={startPreview} className="space-y-5 rounded-lg border border-line bg-surface p-6" data-testid="preview-form">
        <input type="hidden" name="returnTo" value={returnTo} />
        <label className="flex items-center gap-2 font-medium">
          <input type="checkbox" name="anonymous" defaultChecked={current?.anonymous} /> Signed-out reader (anonymous)
        </label>
        {GRANT_DIMENSIONS.map((d) => {
          const held = current ? heldValues(current, d) : []
          return d.kind === 'anyOf' ? (
            <fieldset key={d.name}>
              <legend className="text-sm font-medium text-muted">{d.label}s</legend>
              <div className="mt-2 grid grid-cols-2 gap-1 text-sm">
                {options[d.name].map((option) => (
                  <label key={option.value} className="flex items-center gap-2">
                    <input type="checkbox" name={d.grant} value={option.value} defaultChecked={held.includes(option.value)} /> {option.value}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : (
            <label key={d.name} className="block text-sm font-medium text-muted">
              {d.label}
              <select name={d.grant} defaultValue={held[0] ?? ''} className="mt-1 block w-full rounded-md border border-line p-2">
                <option value="">none</option>
                {options[d.name].map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.title ?? option.value}
                  </option>
                ))}
              </select>
            </label>
          )
        })}
        <button type="submit" className="w-full rounded-md bg-accent px-4 py-2 font-medium text-accent-fg hover:opacity-90">
          Preview
        </button>
      </form>
    </section>
  )
}
