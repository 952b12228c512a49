import { IntentLink } from '@/app/components/intent-link'

export default function Forbidden() {
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">Access denied</h1>
      <p className="text-muted">You do not have access to this page.</p>
      <IntentLink href="/" className="underline">
        Back to all documents
      </IntentLink>
    </div>
  )
}
