import type { Metadata, Viewport } from 'next'
import { metadata as studioMetadata, viewport as studioViewport } from 'next-sanity/studio'
import dynamic from 'next/dynamic'
import { getConfig } from '@/lib/config'

export const metadata: Metadata = { ...studioMetadata, title: 'Studio' }
export const viewport: Viewport = studioViewport

// The Studio is a large client app: its own chunk, loaded only on /studio with a real project.
const Studio = dynamic(() => import('./studio'))

export default function StudioPage() {
  const { content } = getConfig()
  if (content.mode === 'local') {
    return (
      <section className="mx-auto mt-10 max-w-xl space-y-3 rounded-lg border border-warn-line bg-warn-bg p-6" data-testid="studio-notice">
        <h1 className="text-xl font-semibold">The Studio needs a Sanity project</h1>
        <p className="text-sm text-muted">
          Gatehouse is running on its embedded local content lake, which has no Studio. Set <code>SANITY_PROJECT_ID</code>, <code>SANITY_DATASET</code> and{' '}
          <code>SANITY_API_READ_TOKEN</code> (see README, “A real Sanity project”), add this site’s origin under CORS origins with credentials at
          sanity.io/manage, and reload. Everything else keeps working meanwhile; editors can already preview any audience from{' '}
          <a className="underline" href="/preview">
            Preview as…
          </a>
          .
        </p>
      </section>
    )
  }
  return <Studio projectId={content.projectId} dataset={content.dataset} />
}
