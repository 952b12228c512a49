import { DIMENSIONS, GRANT_DIMENSIONS } from '@/lib/access/dimensions'
import { ACCESS_CLAUSES, CAN_READ, CAN_READ_SIGNED_OUT, REQUIREMENTS } from './access'

// The reader-facing queries embed the access rule, which is assembled from the dimension registry.
// TypeGen cannot evaluate that assembly, so these are plain strings; their results are typed and
// checked by the zod schemas derived from the same registry (./schema.ts).
//
// Invariant: every query that names a doc — its title, slug, excerpt, body, or a link to it — filters
// with the rule in the doc's own scope. A doc the reader cannot read and that is hidden from them is
// never part of a result, not even as a count or an id in a link.

/** A doc the reader may know exists: readable, or a teaser. Evaluated in the doc's scope. */
const KNOWABLE = `(visibility != "hidden" || ${CAN_READ})`
const PAGE = `_type == "gatedPage" && defined(slug.current)`
const ORDER = `order(orderRank asc, title asc)`

const TEASER_FIELDS = `_id, title, "slug": slug.current, excerpt, ${REQUIREMENTS}`

/**
 * The navigation of the whole site for this reader, from one scan: the sections and every page they
 * may know of, with whether they can read it. The page tree (sidebar, breadcrumbs, previous/next, the
 * home page) is built from this per request (./nav-tree.ts), so it never holds a hidden title.
 */
export const NAV_QUERY = `{
  "sections": *[_type == "docSection" && defined(slug.current)] | ${ORDER} { _id, title, "slug": slug.current, description },
  "pages": *[${PAGE} && ${KNOWABLE}] | ${ORDER} {
    _id, title, "slug": slug.current, "section": section._ref, "parent": parent._ref, "readable": ${CAN_READ}
  }
}`

/** Teasers of chosen docs (the home page's few): the rule again, so a stale id list cannot widen it. */
export const TEASERS_QUERY = `*[_id in $ids && ${PAGE} && ${KNOWABLE}] { ${TEASER_FIELDS}, "readable": ${CAN_READ}, ${ACCESS_CLAUSES} }`

/**
 * Where a link in a body points, decided in the target's scope: "read" (a link), "locked" (a link to
 * its teaser) or "hidden"/"missing" (plain text). The slug comes back only for a doc the reader may
 * know of, and the title never: the link's own text is what the author wrote.
 */
const LINK_TARGET = `reference->{
  "state": select(!(${PAGE}) => "missing", ${CAN_READ} => "read", visibility != "hidden" => "locked", "hidden"),
  "slug": select(${PAGE} && ${KNOWABLE} => slug.current)
}`
/** Annotations by whitelist: a link's href, a doc link's resolved target — never the raw reference. */
const MARK_DEFS = `"markDefs": markDefs[]{ _key, _type, _type == "link" => { href }, _type == "docLink" => { "target": ${LINK_TARGET} } }`
const TEXT_BLOCKS = `{ ..., _type == "block" => { ${MARK_DEFS} } }`
const BODY = `body[] {
  ...,
  _type == "block" => { ${MARK_DEFS} },
  _type == "callout" => { "content": content[] ${TEXT_BLOCKS} },
  _type == "table" => { "rows": rows[] { ..., "cells": cells[] { ..., "value": value[] ${TEXT_BLOCKS} } } }
}`

/**
 * One doc by slug. A hidden doc the reader cannot read is not returned at all; for a teaser doc the
 * body (and with it every image URL and link in it) is projected only when the rule passes, so a
 * refused body never leaves the content lake.
 */
export const DOC_BY_SLUG_QUERY = `*[slug.current == $slug && ${PAGE} && ${KNOWABLE}][0] {
  ${TEASER_FIELDS},
  "updatedAt": select(${CAN_READ} => _updatedAt),
  "readable": ${CAN_READ},
  "public": ${CAN_READ_SIGNED_OUT},
  ${ACCESS_CLAUSES},
  "body": select(${CAN_READ} => ${BODY})
}`

/** Docs anyone may read signed out, whoever asks (the rule's values are written in): the sitemap. */
export const PUBLIC_DOCS_QUERY = `*[${PAGE} && ${CAN_READ_SIGNED_OUT}] | ${ORDER} { "slug": slug.current, "updatedAt": _updatedAt, "section": section->slug.current }`

/** What an editor can preview as: each dimension's values. */
export const ACCESS_OPTIONS_QUERY = `{ ${GRANT_DIMENSIONS.map((d) => `"${d.name}": ${d.options}`).join(', ')} }`

/** Every dimension's name, for the explainer and the schemas. */
export const DIMENSION_NAMES = DIMENSIONS.map((d) => d.name)
