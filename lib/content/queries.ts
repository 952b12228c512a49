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
/**
 * Text inside a callout or a table cell: text blocks only, by whitelist. The schema allows nothing else
 * there, but API writes skip it: a restricted block (or anything) nested here is dropped, not passed on.
 */
const TEXT_BLOCKS = `[_type == "block"] { ..., ${MARK_DEFS} }`
/** One body member (text, image, code, callout, table), its links resolved. */
const MEMBER = `...,
  _type == "block" => { ${MARK_DEFS} },
  _type == "callout" => { "content": content${TEXT_BLOCKS} },
  _type == "table" => { "rows": rows[] { ..., "cells": cells[] { ..., "value": value${TEXT_BLOCKS} } } }`
/** The rule in a restricted block's scope, as a strict boolean (a malformed rule is false, never null). */
const BLOCK_PASSES = `(${CAN_READ}) == true`
/**
 * "A restricted block whose rule lets the reader through", deciding the rule for restricted blocks
 * only: `select` stops at its first true condition, where `&&` need not (groq-js evaluates both sides,
 * which made search over 10,000 docs 3× slower).
 */
const SECTION_PASSES = `select(_type != "restrictedBlock" => false, ${BLOCK_PASSES})`
/**
 * A body for a reader who may read the page. Restricted blocks are decided here, in their own scope:
 * content for a reader their rule lets through; for others, a teaser block is its requirements and
 * clause results (no content), and a hidden block is filtered out of the array altogether.
 */
const BODY = `body[select(_type != "restrictedBlock" => true, ${BLOCK_PASSES} => true, visibility != "hidden")] {
  _type != "restrictedBlock" => { ${MEMBER} },
  ${SECTION_PASSES} => { _type, _key, "readable": true, ${REQUIREMENTS}, "content": content[_type != "restrictedBlock"] { ${MEMBER} } },
  _type == "restrictedBlock" && !(${SECTION_PASSES}) => { _type, _key, "readable": false, ${REQUIREMENTS}, ${ACCESS_CLAUSES} }
}`

/**
 * One doc by slug. A hidden doc the reader cannot read is not returned at all; for a teaser doc the
 * body (and with it every image URL and link in it) is projected only when the rule passes, so a
 * refused body never leaves the content lake.
 */
const DOC_FIELDS = `
  ${TEASER_FIELDS},
  "updatedAt": select(${CAN_READ} => _updatedAt),
  "readable": ${CAN_READ},
  "public": ${CAN_READ_SIGNED_OUT},
  ${ACCESS_CLAUSES},
  "body": select(${CAN_READ} => ${BODY})`
export const DOC_BY_SLUG_QUERY = `*[slug.current == $slug && ${PAGE} && ${KNOWABLE}][0] { ${DOC_FIELDS} }`

/** The excerpt of every doc the reader may read (llms.txt; the order comes from the navigation). */
export const READABLE_EXCERPTS_QUERY = `*[${PAGE} && ${CAN_READ}] { _id, excerpt }`

/** Every doc the reader may read, whole, in sidebar order, at most $limit: llms-full.txt. */
export const READABLE_DOCS_QUERY = `*[${PAGE} && ${CAN_READ}] | ${ORDER} [0...$limit] { ${DOC_FIELDS} }`

/** The text blocks among body members (a path yielding them), in one array: their own, callouts' and table cells'. */
const textBlocks = (members: string) =>
  [`${members}[_type == "block"]`, `${members}[_type == "callout"].content[]`, `${members}[_type == "table"].rows[].cells[].value[]`]
    // A missing part is [], never null: null + [...] is null, and one malformed member would hide the rest.
    .map((part) => `coalesce(${part}, [])`)
    .join(' + ')
const codeOf = (members: string) => `coalesce(${members}[_type == "code" && defined(code)].code, [])`
/** The content of the restricted sections whose rule lets the reader through, in a doc's scope. */
// Parenthesised: a filter after it applies to the flattened array, not to each element.
const READABLE_SECTIONS = `(body[${SECTION_PASSES}].content[])`
/** Everything beyond plain text blocks: callouts, tables, code, and the sections the reader may see. */
const RICH_TEXT = `coalesce(pt::text(${textBlocks('body')} + ${textBlocks(READABLE_SECTIONS)}), "") + " " + coalesce(array::join(${codeOf('body')} + ${codeOf(READABLE_SECTIONS)}, " "), "")`
/**
 * What of a body a reader may search, in a doc's scope: its own members and the content of the
 * restricted sections whose rule lets the reader through (text and code). Used only where the doc's
 * rule passes. A body of text blocks alone (most docs) takes the short way: one pt::text.
 */
const SEARCHABLE_BODY = `select(
  count(body[_type != "block"]) == 0 => coalesce(pt::text(body), ""),
  ${RICH_TEXT}
)`

/**
 * Search, filtered by the access rule: docs the reader may know of whose title or excerpt matches,
 * or — only where the reader may read the doc — whose body text does. A refused doc's body is never
 * matched, scored or returned, so neither the results nor their order say anything about it; hidden
 * docs are never candidates. `text` (for the snippet) comes back only for readable docs. `select`
 * keeps body text from being computed for docs the reader may not read (see SECTION_PASSES).
 */
export const SEARCH_QUERY = `*[${PAGE} && ${KNOWABLE} && select([title, excerpt] match $terms => true, ${CAN_READ} => ${SEARCHABLE_BODY} match $terms, false)]
  | score(boost(title match $terms, 5), boost(excerpt match $terms, 2), ${CAN_READ} && pt::text(body[_type == "block"]) match $terms)
  | order(_score desc, title asc) [0...$limit] {
    ${TEASER_FIELDS}, "readable": ${CAN_READ}, ${ACCESS_CLAUSES},
    "section": section->{ title, "slug": slug.current },
    "text": select(${CAN_READ} => ${SEARCHABLE_BODY})
  }`

/** Docs anyone may read signed out, whoever asks (the rule's values are written in): the sitemap. */
export const PUBLIC_DOCS_QUERY = `*[${PAGE} && ${CAN_READ_SIGNED_OUT}] | ${ORDER} { "slug": slug.current, "updatedAt": _updatedAt, "section": section->slug.current }`

/** What an editor can preview as: each dimension's values. */
export const ACCESS_OPTIONS_QUERY = `{ ${GRANT_DIMENSIONS.map((d) => `"${d.name}": ${d.options}`).join(', ')} }`

/** Every dimension's name, for the explainer and the schemas. */
export const DIMENSION_NAMES = DIMENSIONS.map((d) => d.name)
