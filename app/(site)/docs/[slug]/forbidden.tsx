import Link from 'next/link'

/** Shown (HTTP 403) below the doc's teaser from the @teaser slot. */
export default function DocForbidden() {
  return (
    <div className="rounded-lg border border-amber-200 bg-amber-50 p-5">
      <h2 className="font-semibold text-amber-900">You do not have access to this document</h2>
      <p className="text-sm text-amber-900">
        Ask your organization&apos;s administrator if you need it.{' '}
        <Link href="/" className="underline">
          Back to all documents
        </Link>
      </p>
    </div>
  )
}
