import { IntentLink } from '@/app/components/intent-link'

/** Shown (HTTP 403) below the doc's teaser from the @teaser slot. */
export default function DocForbidden() {
  return (
    <div className="rounded-lg border border-warn-line bg-warn-bg p-5">
      <h2 className="font-semibold text-warn-fg">You do not have access to this document</h2>
      <p className="text-sm text-warn-fg">
        Ask your organization&apos;s administrator if you need it.{' '}
        <IntentLink href="/" className="underline">
          Back to all documents
        </IntentLink>
      </p>
    </div>
  )
}
