import Link from 'next/link'

export default function DocForbidden() {
  return (
    <div className="mb-3">
      <h2 className="font-semibold text-amber-900">You do not have access to this document</h2>
      <p className="text-sm text-amber-900">
        Ask your organization&apos;s administrator if you need it. <Link href="/" className="underline">Back to all documents</Link>
      </p>
    </div>
  )
}
