'use client'
import { useState } from 'react'

/** Copies a code block's text. The text is the block's own code, already part of the page. */
export function CopyButton({ code }: { code: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code)
      setState('copied')
    } catch {
      setState('failed')
    }
    setTimeout(() => setState('idle'), 2000)
  }
  return (
    <button
      type="button"
      onClick={copy}
      data-testid="copy-code"
      className="rounded border border-line bg-surface px-2 py-0.5 text-xs font-medium text-muted hover:text-fg focus-visible:text-fg"
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}</span>
      <span className="sr-only"> code</span>
    </button>
  )
}
