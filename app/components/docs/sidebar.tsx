import { IntentLink } from '@/app/components/intent-link'
import type { SidebarEntry, SidebarSection } from '@/lib/content/nav-tree'
import { LockIcon } from './lock-icon'

function Entry({ entry }: { entry: SidebarEntry }) {
  return (
    <li>
      <IntentLink href={`/docs/${entry.slug}`} aria-current={entry.current ? 'page' : undefined} data-locked={entry.readable ? undefined : 'true'}>
        {!entry.readable && <LockIcon />}
        <span>{entry.title}</span>
        {!entry.readable && <span className="sr-only"> (locked)</span>}
      </IntentLink>
      {entry.children.length > 0 && (
        <ul className="ml-3 border-l border-line pl-2">
          {entry.children.map((child) => (
            <Entry key={child.slug} entry={child} />
          ))}
        </ul>
      )}
    </li>
  )
}

/**
 * Sections → pages, as this reader may know them: readable pages, locked entries for teaser docs, and
 * nothing of a doc hidden from them. Sections collapse (details/summary: keyboard and screen-reader
 * ready without script); the current one starts open.
 */
export function Sidebar({ sections, openAll }: { sections: SidebarSection[]; openAll: boolean }) {
  return (
    // Entry styles sit on the container, once, not on each of up to a hundred links.
    <nav
      aria-label="Documentation"
      data-testid="sidebar"
      className="space-y-3 text-sm [&_li>a]:flex [&_li>a]:items-center [&_li>a]:gap-1.5 [&_li>a]:rounded-md [&_li>a]:px-2 [&_li>a]:py-1 [&_li>a]:text-muted [&_li>a:hover]:bg-raised [&_li>a:hover]:text-fg [&_li>a[aria-current]]:bg-raised [&_li>a[aria-current]]:font-medium [&_li>a[aria-current]]:text-fg"
    >
      {sections.map((section) => (
        <details key={section.id || 'unsorted'} open={openAll || section.current} className="group">
          <summary className="flex cursor-pointer list-none items-center justify-between rounded-md px-2 py-1 font-semibold text-fg hover:bg-raised">
            {section.title}
            <svg aria-hidden viewBox="0 0 20 20" className="size-4 fill-current text-muted transition group-open:rotate-90">
              <path d="M7.5 4.5 13 10l-5.5 5.5-1-1L11 10 6.5 5.5z" />
            </svg>
          </summary>
          <ul className="mt-1 space-y-0.5">
            {section.entries.map((entry) => (
              <Entry key={entry.slug} entry={entry} />
            ))}
            {section.slug && (
              <li>
                <IntentLink href={`/sections/${section.slug}`} className="text-xs !text-accent">
                  {section.omitted > 0 ? `All ${section.total} pages in ${section.title}` : `${section.title} overview`}
                </IntentLink>
              </li>
            )}
          </ul>
        </details>
      ))}
    </nav>
  )
}
