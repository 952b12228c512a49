import { IntentLink } from '@/app/components/intent-link'

export default function NotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-muted">There is no document at this address, or it is not available to you.</p>
      <IntentLink href="/" className="underline">
        Back to all documents
      </IntentLink>
    </div>
  )
}
