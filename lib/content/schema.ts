// Runtime shapes of query results, derived from the access dimensions like the queries themselves.
// Studio validation never runs on API writes, so what comes back from the lake is checked here; a
// malformed document is skipped and logged, not rendered.
import type { PortableTextBlock } from 'next-sanity'
import { z } from 'zod'
import { DIMENSIONS, type DimensionName } from '@/lib/access/dimensions'
import { log } from '@/lib/log'
import { SLUG_PATTERN } from './slug'

const shape = <T extends z.ZodType>(of: (name: DimensionName) => T) =>
  z.object(Object.fromEntries(DIMENSIONS.map((d) => [d.name, of(d.name)])) as Record<DimensionName, T>)

/** Each dimension's requirement as a list of values (empty: nothing required). */
const requirements = shape(() => z.array(z.string()))

/** A clause result: anything but `true` (false, null, missing) means the clause failed. */
const clause = z.unknown().transform((value) => value === true)
const access = shape(() => clause)

const nullableString = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null)

export const docTeaserSchema = z.object({
  _id: z.string(),
  title: z.string().min(1),
  slug: z.string().regex(SLUG_PATTERN),
  excerpt: nullableString,
  requirements,
})

export const lockedTeaserSchema = docTeaserSchema.extend({ access })

/** A teaser with whether the reader can read it (home and section pages list both kinds). */
export const listedDocSchema = docTeaserSchema.extend({ readable: clause, access })

/** Slugs become hrefs: anything but the slug pattern (API writes skip Studio validation) is dropped. */
const slug = z.string().regex(SLUG_PATTERN)

export const navSectionSchema = z.object({ _id: z.string(), title: z.string().min(1), slug, description: nullableString })
export const navPageSchema = z.object({
  _id: z.string(),
  title: z.string().min(1),
  slug,
  section: nullableString,
  parent: nullableString,
  readable: clause,
})

/** A restricted block the reader may not see, as the body query returns it: what it needs, nothing of it. */
export const lockedBlockSchema = z.object({ requirements, access })
/** A restricted block the reader sees: its requirements, for the editors' badge. */
export const shownBlockSchema = z.object({ requirements })

const block = z.looseObject({ _type: z.string(), _key: z.string().optional() })

export const docSchema = docTeaserSchema.extend({
  updatedAt: nullableString,
  readable: clause,
  /** Readable signed out, by anyone: indexable. */
  public: clause,
  access,
  body: z
    .array(block)
    .nullable()
    .optional()
    .transform((v) => (v ?? null) as PortableTextBlock[] | null),
})

export type DocTeaser = z.infer<typeof docTeaserSchema>
export type LockedTeaser = z.infer<typeof lockedTeaserSchema>
export type ListedDoc = z.infer<typeof listedDocSchema>
export type NavSection = z.infer<typeof navSectionSchema>
export type NavPage = z.infer<typeof navPageSchema>
export type Doc = z.infer<typeof docSchema>
export type AccessClauses = z.infer<typeof access>
export type Requirements = z.infer<typeof requirements>

/** Parses each item on its own: one malformed document is logged and dropped, the rest survive. */
export function parseEach<T extends z.ZodType>(schema: T, items: unknown, what: string): z.output<T>[] {
  if (!Array.isArray(items)) return []
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item)
    if (parsed.success) return [parsed.data]
    logMalformed(what, item, parsed.error)
    return []
  })
}

export function logMalformed(what: string, item: unknown, error: z.ZodError): void {
  const id = typeof item === 'object' && item !== null && '_id' in item ? String(item._id) : 'unknown'
  log.warn('content.malformed', { what, id, issues: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) })
}

/** A single query result as a Doc, or null (logged) when the document is malformed. */
export function parseDoc(result: unknown): Doc | null {
  if (result === null || result === undefined) return null
  const parsed = docSchema.safeParse(result)
  if (parsed.success) return parsed.data
  logMalformed('gatedPage', result, parsed.error)
  return null
}
