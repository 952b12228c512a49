import { defineQuery } from 'groq'
import { ACCESS_CLAUSES, CAN_READ } from './access'

const TEASER_FIELDS = `_id, title, "slug": slug.current, excerpt, audience,
  "requirements": { "roles": coalesce(requiredRoles, []), "tenant": tenantId, "plans": coalesce(plans, []) }`

/** The home page: what the viewer can read, and locked teasers of what they cannot (hidden docs never). */
export const DOC_INDEX_QUERY = defineQuery(`{
  "readable": *[_type == "gatedPage" && defined(slug.current) && ${CAN_READ}] | order(title asc) { ${TEASER_FIELDS} },
  "locked": *[_type == "gatedPage" && defined(slug.current) && visibility != "hidden" && !${CAN_READ}] | order(title asc) {
    ${TEASER_FIELDS}, ${ACCESS_CLAUSES}
  }
}`)

/**
 * One doc by slug. A hidden doc the viewer cannot read is not returned at all; for a teaser doc the
 * body is projected only when the rule passes, so a refused body never leaves the content lake.
 */
export const DOC_BY_SLUG_QUERY = defineQuery(`*[_type == "gatedPage" && slug.current == $slug && (visibility != "hidden" || ${CAN_READ})][0] {
  ${TEASER_FIELDS},
  "readable": ${CAN_READ},
  ${ACCESS_CLAUSES},
  "body": select(${CAN_READ} => body)
}`)

/** What an editor can pick when previewing as an audience. */
export const ACCESS_OPTIONS_QUERY = defineQuery(`{
  "roles": *[_type == "accessRole" && defined(key)] | order(key asc) { key, title },
  "tenants": *[_type == "organizationProfile" && defined(tenantId)] | order(name asc) { tenantId, name },
  "plans": *[_type == "accessPlan" && defined(slug)] | order(slug asc) { slug, title }
}`)
