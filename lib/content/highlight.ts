import 'server-only'
import { createHash } from 'node:crypto'
import type { PortableTextBlock } from 'next-sanity'
import { createHighlighterCore, type HighlighterCore } from 'shiki/core'
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript'
import { visibleMembers } from './body'
import { codeLanguageOf, type CodeLanguage } from './code-languages'

// Code blocks are highlighted here, on the server, into static HTML: no highlighter, grammar or theme
// ships to the browser (e2e/bundle.spec.ts checks). Shiki's JavaScript regex engine avoids loading
// WebAssembly. The two themes are emitted together and switched by CSS (app/globals.css).

/** Grammars by our language id; a language without one (GROQ, plain text) renders unhighlighted. */
const GRAMMARS: Partial<Record<CodeLanguage, () => Promise<unknown>>> = {
  typescript: () => import('@shikijs/langs/typescript'),
  tsx: () => import('@shikijs/langs/tsx'),
  javascript: () => import('@shikijs/langs/javascript'),
  json: () => import('@shikijs/langs/json'),
  bash: () => import('@shikijs/langs/bash'),
  http: () => import('@shikijs/langs/http'),
  yaml: () => import('@shikijs/langs/yaml'),
  python: () => import('@shikijs/langs/python'),
  go: () => import('@shikijs/langs/go'),
  sql: () => import('@shikijs/langs/sql'),
  diff: () => import('@shikijs/langs/diff'),
}
const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const

let highlighter: Promise<HighlighterCore> | undefined

function getHighlighter(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    themes: [import('@shikijs/themes/github-light-default'), import('@shikijs/themes/github-dark-default')],
    langs: Object.values(GRAMMARS).map((load) => load()) as never,
    engine: createJavaScriptRegexEngine(),
  }).catch((error: unknown) => {
    highlighter = undefined
    throw error
  })
  return highlighter
}

/**
 * Highlighted blocks by a digest of (language, code), newest last, at most HIGHLIGHTED_MAX: a doc's
 * code is highlighted once per process, not per view. Safe to share between readers: the HTML is a
 * pure function of the code, so only someone who already has that code can ever hit its entry.
 */
const HIGHLIGHTED_MAX = 1000
const highlighted = new Map<string, string>()

/** A code block's highlighted HTML (a `<pre class="shiki">`); shiki escapes the code itself. */
export async function highlightCode(code: string, language: string | null | undefined): Promise<string> {
  const canonical = codeLanguageOf(language)
  const lang = canonical && GRAMMARS[canonical] ? canonical : 'text'
  const id = createHash('sha256').update(`${lang}\0${code}`).digest('base64url')
  const known = highlighted.get(id)
  if (known !== undefined) return known
  const shiki = await getHighlighter()
  const html = shiki.codeToHtml(code, { lang, themes: THEMES, defaultColor: 'light' })
  if (highlighted.size >= HIGHLIGHTED_MAX) highlighted.delete(highlighted.keys().next().value!)
  highlighted.set(id, html)
  return html
}

/** Every code block of a body, highlighted, by block key. */
export async function highlightBody(body: PortableTextBlock[] | null): Promise<Map<string, string>> {
  type CodeBlock = { _key: string; code: string; language?: unknown }
  const blocks = (visibleMembers(body) as unknown as Record<string, unknown>[]).filter(
    (block): block is CodeBlock => block._type === 'code' && typeof block.code === 'string' && typeof block._key === 'string',
  )
  const html = await Promise.all(blocks.map((block) => highlightCode(block.code, typeof block.language === 'string' ? block.language : null)))
  return new Map(blocks.map((block, i) => [block._key, html[i]!]))
}
