// Walking a body as the reader received it: top-level members and, in place, the content of the
// restricted blocks their rule let through (lib/content/queries.ts decided which). Headings, code
// highlighting, Markdown and search text all read a body through this, so none of them can reach into a
// section the reader may not see — the query never returned it anyway.
import type { PortableTextBlock } from 'next-sanity'

export type BodyMember = PortableTextBlock & { _type: string; _key?: string; [field: string]: unknown }

/** A restricted block as the query returns it: content when readable, requirements and clauses otherwise. */
export type RestrictedBlockValue = {
  _type: 'restrictedBlock'
  _key?: string
  readable?: boolean
  content?: BodyMember[]
  requirements?: Record<string, string[]>
  access?: Record<string, unknown>
}

export const isRestricted = (member: { _type?: unknown }): member is RestrictedBlockValue & BodyMember => member._type === 'restrictedBlock'

/** Every member the reader may see, restricted content flattened in place, in reading order. */
export function visibleMembers(body: PortableTextBlock[] | null | undefined): BodyMember[] {
  return ((body ?? []) as BodyMember[]).flatMap((member) => (isRestricted(member) ? (member.readable === true ? (member.content ?? []) : []) : [member]))
}
