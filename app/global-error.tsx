'use client'

/** When even the layout fails (e.g. the session service is down): a plain page of its own, with a 5xx status. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '3rem' }}>
        <h1>Gatehouse is temporarily unavailable</h1>
        <p>Something it depends on did not answer. Please try again in a minute.</p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  )
}
