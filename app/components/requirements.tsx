import { describeMissing, type Missing } from '@/lib/content/decision'
import type { Requirements } from '@/lib/content/schema'

/** What a document asks of its reader, in words. */
export function RequirementList({ requirements, audience }: { requirements: Requirements; audience: string | null }) {
  const items = [
    audience !== 'public' ? 'Signed-in readers' : null,
    requirements.roles.length > 0 ? `Role: ${requirements.roles.join(' or ')}` : null,
    requirements.tenant ? `Organization: ${requirements.tenant}` : null,
    requirements.plans.length > 0 ? `Plan: ${requirements.plans.join(' or ')}` : null,
  ].filter((item): item is string => item !== null)
  return (
    <ul className="flex flex-wrap gap-2 text-xs">
      {items.map((item) => (
        <li key={item} className="rounded-full bg-stone-100 px-2 py-0.5 text-stone-600">
          {item}
        </li>
      ))}
    </ul>
  )
}

export function MissingList({ missing }: { missing: Missing[] }) {
  return (
    <ul className="list-disc space-y-1 pl-5 text-sm text-amber-900" data-testid="missing-requirements">
      {missing.map((m) => (
        <li key={m.kind}>{describeMissing(m)}</li>
      ))}
    </ul>
  )
}
