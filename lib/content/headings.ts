// Heading anchors and the on-page table of contents, from the body's h2–h4 blocks. One function gives
// both, so a TOC entry always points at an id the body renders.
import type { PortableTextBlock } from 'next-sanity'
import { visibleMembers } from './body'

export type Heading = { key: string; id: string; text: string; level: 2 | 3 | 4 }

const LEVELS = { h2: 2, h3: 3, h4: 4 } as const
/** Ids the page layout uses itself: a heading never takes one. */
const RESERVED = new Set(['main', 'main-content', 'sidebar', 'toc', 'docs-nav', 'gh-lock'])

function plainText(block: PortableTextBlock): string {
  const children = Array.isArray(block.children) ? (block.children as { text?: unknown }[]) : []
  return children.map((child) => (typeof child.text === 'string' ? child.text : '')).join('')
}

/** `Rate limits & quotas` → `rate-limits-quotas`; letters of any script survive. */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'section'
  )
}

/** Every h2–h4 in reading order (restricted sections the reader sees included) with a unique, stable id. */
export function headingsOf(body: PortableTextBlock[] | null): Heading[] {
  const used = new Set(RESERVED)
  const headings: Heading[] = []
  for (const block of visibleMembers(body)) {
    if (block._type !== 'block' || typeof block.style !== 'string' || !(block.style in LEVELS)) continue
    const text = plainText(block).trim()
    if (!text) continue
    const base = slugify(text)
    let id = base
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`
    used.add(id)
    headings.push({ key: String(block._key ?? id), id, text, level: LEVELS[block.style as keyof typeof LEVELS] })
  }
  return headings
}

/** The table of contents: h2 and h3 only. */
export function tableOfContents(headings: Heading[]): Heading[] {
  return headings.filter((heading) => heading.level <= 3)
}
