import { DIMENSIONS, GRANT_DIMENSIONS } from '@/lib/access/dimensions'
import { ACCESS_CLAUSES, CAN_READ, REQUIREMENTS } from './access'

// The reader-facing queries embed the access rule, which is assembled from the dimension registry.
// TypeGen cannot evaluate that assembly, so these are plain strings; their results are typed and
// checked by the zod schemas derived from the same registry (./schema.ts).

const TEASER_FIELDS = `_id, title, "slug": slug.current, excerpt, ${REQUIREMENTS}`

/** The home page: what the reader can read, and locked teasers of what they cannot (hidden docs never). */
export const DOC_INDEX_QUERY = `{
  "readable": *[_type == "gatedPage" && defined(slug.current) && ${CAN_READ}] | order(title asc) { ${TEASER_FIELDS} },
  "locked": *[_type == "gatedPage" && defined(slug.current) && visibility != "hidden" && !${CAN_READ}] | order(title asc) {
    ${TEASER_FIELDS}, ${ACCESS_CLAUSES}
  }
}`

/**
 * One doc by slug. A hidden doc the reader cannot read is not returned at all; for a teaser doc the
 * body is projected only when the rule passes, so a refused body never leaves the content lake.
 */
export const DOC_BY_SLUG_QUERY = `*[_type == "gatedPage" && slug.current == $slug && (visibility != "hidden" || ${CAN_READ})][0] {
  ${TEASER_FIELDS},
  "readable": ${CAN_READ},
  ${ACCESS_CLAUSES},
  "body": select(${CAN_READ} => body)
}`

/** What an editor can preview as: each dimension's values. */
export const ACCESS_OPTIONS_QUERY = `{ ${GRANT_DIMENSIONS.map((d) => `"${d.name}": ${d.options}`).join(', ')} }`

/** Every dimension's name, for the explainer and the schemas. */
export const DIMENSION_NAMES = DIMENSIONS.map((d) => d.name)
