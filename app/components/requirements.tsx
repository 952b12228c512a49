import { describeMissing, describeRequirements, type Missing } from '@/lib/content/decision'
import type { Requirements } from '@/lib/content/schema'

/** What a document asks of its reader, in words (one chip per dimension that requires something). */
export function RequirementList({ requirements }: { requirements: Requirements }) {
  return (
    <ul className="flex flex-wrap gap-2 text-xs">
      {describeRequirements(requirements).map((item) => (
        <li key={item} className="rounded-full bg-raised px-2 py-0.5 text-muted">
          {item}
        </li>
      ))}
    </ul>
  )
}

export function MissingList({ missing }: { missing: Missing[] }) {
  return (
    <ul className="list-disc space-y-1 pl-5 text-sm text-warn-fg" data-testid="missing-requirements">
      {missing.map((m) => (
        <li key={m.dimension}>{describeMissing(m)}</li>
      ))}
    </ul>
  )
}
