/** The reader's colour theme, kept in a cookie so the server renders it before the first paint. */
export const THEME_COOKIE = 'gh_theme'
export const THEMES = ['system', 'light', 'dark'] as const
export type Theme = (typeof THEMES)[number]

export function themeOf(value: string | undefined): Theme {
  return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system'
}
