'use client'
import { useState } from 'react'
import { THEME_COOKIE, THEMES, type Theme } from '@/lib/theme'

const LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' }
const ICONS: Record<Theme, string> = {
  system: 'M3 4h14v9H3zm2 2v5h10V6zm2 9h6v2H7z',
  light:
    'M10 6a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm-1-5h2v3H9zm0 15h2v3H9zM1 9h3v2H1zm15 0h3v2h-3zM3.5 4.9l1.4-1.4 2.1 2.1-1.4 1.4zm9.5 9.5 1.4-1.4 2.1 2.1-1.4 1.4zM3.5 15.1l2.1-2.1 1.4 1.4-2.1 2.1zM13 5.6l2.1-2.1 1.4 1.4-2.1 2.1z',
  dark: 'M11 2a8 8 0 1 0 7 11.9A7 7 0 0 1 11 2z',
}

function applyTheme(theme: Theme) {
  document.documentElement.classList.remove(...THEMES)
  document.documentElement.classList.add(theme)
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=31536000; samesite=lax`
}

/** Light, dark, or follow the system: remembered in a cookie, applied at once by swapping <html>'s class. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial)
  const choose = (next: Theme) => {
    setTheme(next)
    applyTheme(next)
  }
  return (
    <div role="group" aria-label="Colour theme" className="flex items-center rounded-md border border-line p-0.5" data-testid="theme-toggle">
      {THEMES.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={theme === option}
          title={`${LABELS[option]} theme`}
          onClick={() => choose(option)}
          className={`rounded p-1 ${theme === option ? 'bg-raised text-fg' : 'text-muted hover:text-fg'}`}
        >
          <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-current">
            <path d={ICONS[option]} />
          </svg>
          <span className="sr-only">{LABELS[option]} theme</span>
        </button>
      ))}
    </div>
  )
}
