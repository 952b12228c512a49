import { IntentLink } from '@/app/components/intent-link'
import { PortableText, type PortableTextBlock, type PortableTextComponents } from 'next-sanity'
import type { ReactNode } from 'react'
import { RuleExplainer } from '@/app/components/rule-explainer'
import type { Grants } from '@/lib/access/dimensions'
import type { RestrictedBlockValue } from '@/lib/content/body'
import type { CalloutTone } from '@/lib/content/callouts'
import { describeMissing, describeRequirements, missingRequirements } from '@/lib/content/decision'
import { lockedBlockSchema, shownBlockSchema } from '@/lib/content/schema'
import type { Heading } from '@/lib/content/headings'
import { bodyImage } from '@/lib/content/images'
import { SLUG_PATTERN } from '@/lib/content/slug'
import { CopyButton } from './copy-button'
import { LockIcon } from './lock-icon'

// Renders a doc's body. Everything here is already filtered: the query returned this body because
// the reader may read it, and resolved each doc link for them (read / locked / hidden). Values are
// still checked, because API writes skip Studio validation: a link with a non-web scheme renders as
// text, an image without alt text is dropped.

type LinkTarget = { state?: string; slug?: string | null } | null | undefined

const TONES: Record<CalloutTone, { label: string; className: string }> = {
  note: { label: 'Note', className: 'border-sky-300 bg-sky-50 text-sky-950 dark:border-sky-800 dark:bg-sky-950/40 dark:text-sky-50' },
  tip: { label: 'Tip', className: 'border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-50' },
  important: {
    label: 'Important',
    className: 'border-violet-300 bg-violet-50 text-violet-950 dark:border-violet-800 dark:bg-violet-950/40 dark:text-violet-50',
  },
  warning: { label: 'Warning', className: 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-50' },
  caution: { label: 'Caution', className: 'border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950/40 dark:text-red-50' },
}

const SAFE_HREF = /^(https?:\/\/|mailto:)/i

function DocLink({ target, children }: { target: LinkTarget; children: ReactNode }) {
  const slug = target?.slug && SLUG_PATTERN.test(target.slug) ? target.slug : null
  if (target?.state === 'read' && slug) {
    return (
      <IntentLink href={`/docs/${slug}`} data-link="read">
        {children}
      </IntentLink>
    )
  }
  if (target?.state === 'locked' && slug) {
    return (
      <IntentLink
        href={`/docs/${slug}`}
        data-link="locked"
        title="Locked: you cannot open this page yet"
        className="inline-flex items-baseline gap-1 decoration-dashed"
      >
        <LockIcon className="size-3 self-center" />
        {children}
        <span className="sr-only"> (locked)</span>
      </IntentLink>
    )
  }
  // Hidden from this reader, or gone: the author's words, no link, nothing about the target.
  return <span data-link="text">{children}</span>
}

function heading(level: 'h2' | 'h3' | 'h4', ids: Map<string, string>) {
  const Tag = level
  function AnchoredHeading({ value, children }: { value: PortableTextBlock; children?: ReactNode }) {
    const id = value._key ? ids.get(value._key) : undefined
    if (!id) return <Tag>{children}</Tag>
    return (
      <Tag id={id} className="group">
        {children}
        <a
          href={`#${id}`}
          className="ml-2 font-normal text-muted no-underline opacity-0 group-hover:opacity-100 focus:opacity-100"
          aria-label="Link to this section"
        >
          #
        </a>
      </Tag>
    )
  }
  return AnchoredHeading
}

type CellValue = { _key?: string; value?: PortableTextBlock[] }
type RowValue = { _key?: string; cells?: CellValue[] }

/** What an editor sees beyond a reader: each restricted section's rule and decision for the audience. */
export type EditorView = { reader: Grants | null } | null

function RestrictedBlock({ value, editor, render }: { value: RestrictedBlockValue; editor: EditorView; render: (content: PortableTextBlock[]) => ReactNode }) {
  if (value.readable === true) {
    const shown = shownBlockSchema.safeParse(value)
    return (
      <section
        aria-label="Restricted section"
        data-testid="restricted-block"
        data-state="shown"
        className={editor ? 'rounded-lg border border-dashed border-info-line px-4' : undefined}
      >
        {editor && shown.success && (
          <p className="not-prose mt-3 text-xs text-info-fg">
            Restricted section, shown to this audience · {describeRequirements(shown.data.requirements).join(' · ')}
          </p>
        )}
        {render(value.content ?? [])}
      </section>
    )
  }
  const locked = lockedBlockSchema.safeParse(value)
  return (
    <div className="not-prose my-6 space-y-3" data-testid="restricted-block" data-state="teaser">
      <p className="flex items-start gap-2 rounded-lg border border-dashed border-line px-4 py-3 text-sm text-muted">
        <LockIcon className="mt-0.5 size-3.5" />
        <span>
          A section of this page is locked for you.{' '}
          {locked.success ? missingRequirements(locked.data.access, locked.data.requirements).map(describeMissing).join(' ') : ''}
        </span>
      </p>
      {editor && locked.success && (
        <RuleExplainer
          access={locked.data.access}
          requirements={locked.data.requirements}
          reader={editor.reader}
          title="Why this audience cannot see this section (editors only)"
        />
      )}
    </div>
  )
}

function components(headings: Heading[], highlighted: Map<string, string>, editor: EditorView): PortableTextComponents {
  const ids = new Map(headings.map((h) => [h.key, h.id]))
  const inner: PortableTextComponents = {
    marks: {
      link: ({ value, children }) => {
        const href = typeof value?.href === 'string' ? value.href : ''
        return SAFE_HREF.test(href) ? (
          <a href={href} rel="noopener noreferrer">
            {children}
          </a>
        ) : (
          <span>{children}</span>
        )
      },
      docLink: ({ value, children }) => <DocLink target={value?.target as LinkTarget}>{children}</DocLink>,
    },
  }
  const all: PortableTextComponents = {
    ...inner,
    block: { h2: heading('h2', ids), h3: heading('h3', ids), h4: heading('h4', ids) },
    types: {
      restrictedBlock: ({ value }) => (
        <RestrictedBlock value={value as RestrictedBlockValue} editor={editor} render={(content) => <PortableText value={content} components={all} />} />
      ),
      image: ({ value }) => {
        const image = bodyImage(value)
        if (!image) return null
        return (
          <figure>
            {/* eslint-disable-next-line @next/next/no-img-element -- server-built srcset (lib/content/images.ts): no image component in the browser */}
            <img
              src={image.src}
              srcSet={image.srcSet}
              width={image.width}
              height={image.height}
              alt={image.alt}
              sizes="(min-width: 1024px) 48rem, 100vw"
              loading="lazy"
              decoding="async"
              className="h-auto max-w-full rounded-lg border border-line bg-white object-cover"
              style={{ objectPosition: image.objectPosition }}
            />
            {image.caption && <figcaption>{image.caption}</figcaption>}
          </figure>
        )
      },
      code: ({ value }) => {
        const html = value?._key ? highlighted.get(value._key) : undefined
        const code = typeof value?.code === 'string' ? value.code : ''
        const filename = typeof value?.filename === 'string' && value.filename ? value.filename : null
        return (
          <figure className="not-prose my-6 overflow-hidden rounded-lg border border-line bg-surface" data-testid="code-block">
            <figcaption className="flex items-center justify-between gap-3 border-b border-line bg-raised px-3 py-1.5 font-mono text-xs text-muted">
              <span>{filename ?? (typeof value?.language === 'string' ? value.language : 'text')}</span>
              <CopyButton code={code} />
            </figcaption>
            {/* Scrollable, so focusable: keyboard users can scroll long lines. */}
            <div
              tabIndex={0}
              role="region"
              aria-label={filename ? `Code: ${filename}` : 'Code'}
              className="overflow-x-auto p-4 font-mono text-sm leading-relaxed"
            >
              {html ? <div dangerouslySetInnerHTML={{ __html: html }} /> : <pre>{code}</pre>}
            </div>
          </figure>
        )
      },
      callout: ({ value }) => {
        const tone = TONES[(value?.tone as keyof typeof TONES) ?? 'note'] ?? TONES.note
        return (
          <div className={`not-prose my-6 rounded-lg border-l-4 p-4 text-sm leading-relaxed ${tone.className}`} data-testid="callout" data-tone={value?.tone}>
            <p className="mb-1 font-semibold">{tone.label}</p>
            <div className="space-y-2 [&_a]:underline [&_code]:font-mono">
              <PortableText value={(value?.content as PortableTextBlock[]) ?? []} components={inner} />
            </div>
          </div>
        )
      },
      table: ({ value }) => {
        const rows = (Array.isArray(value?.rows) ? value.rows : []) as RowValue[]
        const headerRows = Math.max(0, Math.min(Number(value?.headerRows ?? 1) || 0, rows.length))
        const cell = (cell: CellValue) => <PortableText value={cell.value ?? []} components={inner} />
        return (
          <div className="my-6 overflow-x-auto" tabIndex={0} role="region" aria-label="Table">
            <table className="my-0 [&_p]:my-0">
              {headerRows > 0 && (
                <thead>
                  {rows.slice(0, headerRows).map((row, r) => (
                    <tr key={row._key ?? r}>
                      {(row.cells ?? []).map((c, i) => (
                        <th key={c._key ?? i} scope="col">
                          {cell(c)}
                        </th>
                      ))}
                    </tr>
                  ))}
                </thead>
              )}
              <tbody>
                {rows.slice(headerRows).map((row, r) => (
                  <tr key={row._key ?? r}>
                    {(row.cells ?? []).map((c, i) => (
                      <td key={c._key ?? i}>{cell(c)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      },
    },
  }
  return all
}

export function PortableBody({
  body,
  headings,
  highlighted,
  editor = null,
}: {
  body: PortableTextBlock[]
  headings: Heading[]
  highlighted: Map<string, string>
  editor?: EditorView
}) {
  return (
    <div
      className="prose prose-stone max-w-none dark:prose-invert prose-headings:scroll-mt-20 prose-a:text-accent prose-code:before:content-none prose-code:after:content-none"
      data-testid="doc-body"
    >
      <PortableText value={body} components={components(headings, highlighted, editor)} />
    </div>
  )
}
