import type { Heading } from '@/lib/content/headings'

/** "On this page": the body's h2/h3 headings, linking to their anchors. */
export function TableOfContents({ headings }: { headings: Heading[] }) {
  if (headings.length < 2) return null
  return (
    <nav aria-label="On this page" data-testid="toc" className="text-sm">
      <p className="mb-2 font-semibold text-fg">On this page</p>
      <ul className="space-y-1 border-l border-line">
        {headings.map((heading) => (
          <li key={heading.id}>
            <a
              href={`#${heading.id}`}
              className={`-ml-px block border-l border-transparent py-0.5 text-muted hover:border-fg hover:text-fg ${heading.level === 3 ? 'pl-6' : 'pl-3'}`}
            >
              {heading.text}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
