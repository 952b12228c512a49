'use client'

/**
 * When a page cannot be rendered — most often because the content service (Sanity) is not answering —
 * the reader gets this instead of a blank page, with a 5xx status (the error happens before streaming
 * starts). Nothing about the failure itself is shown; the server logs it.
 */
export default function SiteError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="space-y-3 rounded-lg border border-warn-line bg-warn-bg p-6" role="alert" data-testid="site-error">
      <h1 className="text-2xl font-semibold">The documentation is temporarily unavailable</h1>
      <p className="text-muted">
        We could not load this page just now: the content service did not answer. Nothing is wrong with your account. Please try again in a minute.
      </p>
      <button type="button" onClick={reset} className="rounded-md bg-accent px-4 py-2 font-medium text-accent-fg hover:opacity-90">
        Try again
      </button>
    </section>
  )
}
