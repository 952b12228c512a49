import { IntentLink } from '@/app/components/intent-link'
import { GRANT_DIMENSIONS, heldValues } from '@/lib/access/dimensions'
import { exitPreview } from '@/lib/auth/actions'
import type { PreviewAudience } from '@/lib/auth/session'

/** Always visible while an editor impersonates an audience, with the way out. */
export function PreviewBanner({ preview }: { preview: PreviewAudience }) {
  const who = preview.anonymous
    ? 'a signed-out reader'
    : GRANT_DIMENSIONS.map((d) => {
        const held = heldValues(preview, d)
        if (d.kind === 'anyOf') return held.length > 0 ? `${d.grant} ${held.join(', ')}` : `no ${d.grant}`
        return `${d.label.toLowerCase()} ${held[0] ?? 'none'}`
      }).join(' · ')
  return (
    <div className="bg-sky-700 text-sm text-white" role="status" data-testid="preview-banner">
      <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-3 px-6 py-2">
        <p>
          Previewing as <strong>{who}</strong> — drafts included.
        </p>
        <div className="flex items-center gap-3">
          <IntentLink href="/preview" className="underline">
            Change
          </IntentLink>
          <form action={exitPreview}>
            <button type="submit" className="rounded border border-white/60 px-2 py-0.5 hover:bg-white/10">
              Exit preview
            </button>
          </form>
        </div>
      </div>
    </div>
  )
}
