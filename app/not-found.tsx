import { IntentLink } from '@/app/components/intent-link'
import { connection } from 'next/server'

/** Any address no route matches (inside the site, app/(site)/not-found.tsx answers with the site around it). */
export default async function NotFound() {
  // Rendered per request like every page, so it carries the response's CSP nonce.
  await connection()
  return (
    <main className="mx-auto max-w-4xl space-y-2 px-6 py-10">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-muted">There is no document at this address, or it is not available to you.</p>
      <IntentLink href="/" className="underline">
        Back to all documents
      </IntentLink>
    </main>
  )
}
