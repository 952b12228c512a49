// The languages a code block may be written in: the Studio's picker (with CodeMirror's mode for the
// editor), the server-side highlighter (shiki grammar ids) and the seed build all read this list.
// Anything else renders as plain text, never fails.

export const CODE_LANGUAGES = [
  { value: 'typescript', title: 'TypeScript', mode: 'typescript', aliases: ['ts'] },
  { value: 'tsx', title: 'TSX', mode: 'tsx', aliases: [] },
  { value: 'javascript', title: 'JavaScript', mode: 'javascript', aliases: ['js'] },
  { value: 'json', title: 'JSON', mode: 'json', aliases: [] },
  { value: 'bash', title: 'Shell', mode: 'sh', aliases: ['sh', 'shell'] },
  { value: 'http', title: 'HTTP', mode: 'text', aliases: [] },
  { value: 'yaml', title: 'YAML', mode: 'yaml', aliases: ['yml'] },
  { value: 'python', title: 'Python', mode: 'python', aliases: ['py'] },
  { value: 'go', title: 'Go', mode: 'golang', aliases: ['golang'] },
  { value: 'sql', title: 'SQL', mode: 'mysql', aliases: [] },
  { value: 'groq', title: 'GROQ', mode: 'groq', aliases: [] },
  { value: 'diff', title: 'Diff', mode: 'text', aliases: [] },
  { value: 'text', title: 'Plain text', mode: 'text', aliases: ['txt', 'plain'] },
] as const

export type CodeLanguage = (typeof CODE_LANGUAGES)[number]['value']

/** The canonical language id for a value or alias (case-insensitive), or null if it is not supported. */
export function codeLanguageOf(value: string | null | undefined): CodeLanguage | null {
  const wanted = (value ?? '').trim().toLowerCase()
  if (!wanted) return null
  const found = CODE_LANGUAGES.find((l) => l.value === wanted || (l.aliases as readonly string[]).includes(wanted))
  return found?.value ?? null
}
