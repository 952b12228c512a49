import 'server-only'
import { portableTextToMarkdown } from '@portabletext/markdown'
import type { PortableTextBlock } from 'next-sanity'
import { isRestricted, type BodyMember } from './body'
import { CALLOUT_TONES, type CalloutTone } from './callouts'
import { describeMissing, missingRequirements, type Missing } from './decision'
import { bodyImage } from './images'
import { lockedBlockSchema, type Doc } from './schema'
import { SLUG_PATTERN } from './slug'

// Docs as Markdown, for /docs/<slug>.md, llms-full.txt and the MCP read_doc tool. It renders exactly
// the body the reader's query returned: restricted sections they may see in place, a one-line note
// for teaser sections, nothing for hidden ones; doc links as the query resolved them for this reader.

const SAFE_HREF = /^(https?:\/\/|mailto:)/i

type MarkdownOptions = Parameters<typeof portableTextToMarkdown>[1] & object

/**
 * An href as a link destination: what could end it early or start another construct inside it
 * (whitespace, parentheses, a backslash escape, an autolink's `<`, a code span's backtick) is
 * percent-encoded, so the link's text and target are exactly the ones written.
 */
const destination = (href: string) => href.replace(/[\s()<>\\`"]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)))

/** Plain text the author wrote outside a body's blocks (a title, an excerpt, a caption): one line, its Markdown escaped. */
export function plain(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return portableTextToMarkdown([
    { _type: 'block', _key: 'p', style: 'normal', markDefs: [], children: [{ _type: 'span', _key: 'p', text: line, marks: [] }] },
  ]).trim()
}

/** A fence longer than any run of backticks in the code, so code can never close it. */
function fence(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length))
  return '`'.repeat(Math.max(3, longest + 1))
}

function optionsFor(baseUrl: string): MarkdownOptions {
  const render = (blocks: unknown[]) => portableTextToMarkdown(blocks as PortableTextBlock[], options)
  const options: MarkdownOptions = {
    // A type this renderer does not know is left out, never dumped as JSON (the default).
    unknownType: () => '',
    marks: {
      link: ({ value, children }) => {
        const href = typeof value?.href === 'string' ? value.href : ''
        return SAFE_HREF.test(href) ? `[${children}](${destination(href)})` : children
      },
      docLink: ({ value, children }) => {
        const target = (value as { target?: { state?: string; slug?: string | null } | null } | undefined)?.target
        const slug = target?.slug && SLUG_PATTERN.test(target.slug) ? target.slug : null
        if (target?.state === 'read' && slug) return `[${children}](${baseUrl}/docs/${slug}.md)`
        if (target?.state === 'locked' && slug) return `${children} (locked: ${baseUrl}/docs/${slug})`
        return children
      },
    },
    types: {
      image: ({ value }) => {
        const image = bodyImage(value)
        if (!image) return ''
        const caption = image.caption ? plain(image.caption) : ''
        return `![${image.alt.replace(/[[\]\\]/g, '').replace(/\s+/g, ' ')}](${image.url})${caption ? `\n\n*${caption}*` : ''}`
      },
      code: ({ value }) => {
        const code = typeof value.code === 'string' ? value.code : ''
        const language = typeof value.language === 'string' ? value.language.replace(/[^\w-]/g, '') : ''
        // A backtick in a backtick fence's info string would stop it opening a fence at all.
        const title = typeof value.filename === 'string' && value.filename ? ` title="${value.filename.replace(/["`\r\n]/g, '')}"` : ''
        const marks = fence(code)
        return `${marks}${language}${title}\n${code}\n${marks}`
      },
      callout: ({ value }) => {
        const tone: CalloutTone = CALLOUT_TONES.find((t) => t === value.tone) ?? 'note'
        const inner = render(Array.isArray(value.content) ? value.content : [])
        return [`> [!${tone.toUpperCase()}]`, ...inner.split('\n').map((line) => (line ? `> ${line}` : '>'))].join('\n')
      },
      table: ({ value }) => {
        const rows = (Array.isArray(value.rows) ? value.rows : []) as { cells?: { value?: unknown[] }[] }[]
        const cell = (c: { value?: unknown[] }) =>
          render(c.value ?? [])
            .replace(/\n+/g, ' ')
            .replace(/\|/g, '\\|')
            .trim()
        const lines = rows.map((row) => `| ${(row.cells ?? []).map(cell).join(' | ')} |`)
        const width = Math.max(1, ...rows.map((row) => row.cells?.length ?? 0))
        const header = Math.max(1, Number(value.headerRows ?? 1) || 1)
        lines.splice(Math.min(header, lines.length), 0, `|${' --- |'.repeat(width)}`)
        return lines.join('\n')
      },
    },
  }
  return options
}

/** The body with restricted sections resolved: content in place, teasers as one line, hidden ones gone. */
function flattenRestricted(body: PortableTextBlock[]): PortableTextBlock[] {
  return (body as BodyMember[]).flatMap((member): PortableTextBlock[] => {
    if (!isRestricted(member)) return [member]
    if (member.readable === true) return (member.content ?? []) as PortableTextBlock[]
    const locked = lockedBlockSchema.safeParse(member)
    const why = locked.success ? ` ${missingRequirements(locked.data.access, locked.data.requirements).map(describeMissing).join(' ')}` : ''
    return [
      {
        _type: 'block',
        _key: `${member._key ?? 'restricted'}-note`,
        style: 'normal',
        markDefs: [],
        children: [{ _type: 'span', _key: 'note', text: `(A section of this page is locked for you.${why})`, marks: ['em'] }],
      },
    ]
  })
}

/** A readable doc as Markdown: title, excerpt, then its body. */
export function docToMarkdown(doc: Doc, baseUrl: string): string {
  const head = [`# ${plain(doc.title)}`, ...(doc.excerpt ? ['', `> ${plain(doc.excerpt)}`] : [])].join('\n')
  const body = portableTextToMarkdown(flattenRestricted(doc.body ?? []), optionsFor(baseUrl))
  return `${head}\n\n${body.trim()}\n`
}

/** A refused doc's teaser as Markdown: title, excerpt and what is missing — nothing of its body. */
export function teaserToMarkdown(doc: Doc, missing: Missing[], baseUrl: string): string {
  return [
    `# ${plain(doc.title)} (locked)`,
    ...(doc.excerpt ? ['', `> ${plain(doc.excerpt)}`] : []),
    '',
    `You cannot read this document: ${missing.map(describeMissing).join(' ')}`,
    '',
    `Teaser: ${baseUrl}/docs/${doc.slug}`,
    '',
  ].join('\n')
}
