/** The padlock, defined once per page (LockSprite, in the site layout) and referenced by each use. */
export function LockSprite() {
  return (
    <svg aria-hidden className="hidden">
      <symbol id="gh-lock" viewBox="0 0 20 20">
        <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm2 6H8V6a2 2 0 1 1 4 0v2Z" />
      </symbol>
    </svg>
  )
}

/** The padlock of a locked entry. Decorative: every use says "locked" in text for screen readers. */
export function LockIcon({ className = 'size-3.5' }: { className?: string }) {
  return (
    <svg aria-hidden className={`${className} shrink-0 fill-current`}>
      <use href="#gh-lock" />
    </svg>
  )
}
