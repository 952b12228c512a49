// The access rule, as GROQ, derived from the access dimensions (lib/access/dimensions.ts). Queries embed
// these fragments so Sanity itself filters what a reader may read; the same clauses are projected to
// explain a refusal, never re-implemented in JS. A reader needs every clause. Anything missing or
// malformed evaluates to false or null, and null never grants access.
import { DIMENSIONS, GRANT_DIMENSIONS, NO_GRANTS, type Dimension, type Grants } from '@/lib/access/dimensions'

/**
 * How a clause refers to what the reader holds: `$name` (a query parameter), a literal value baked in,
 * or an expression over another document (a memberProfile, for "who can read this"). `inFilter` is
 * true where the reference sits inside a filter on the document's field, one scope deeper.
 */
export type ParamRef = (name: 'signedIn' | Dimension['grant'], inFilter: boolean) => string
const byParameter: ParamRef = (name) => `$${name}`

function clauseOf(d: Dimension, param: ParamRef = byParameter): string {
  switch (d.kind) {
    case 'audience':
      return `(${d.field} == "public" || ${param('signedIn', false)} == true)`
    case 'anyOf':
      return `(count(coalesce(${d.field}, [])) == 0 || count(${d.field}[@ in ${param(d.grant, true)}]) > 0)`
    case 'oneOf':
      return `(count(coalesce(${d.field}, [])) == 0 || ${param(d.grant, false)} in ${d.field})`
    case 'equals':
      return `(!defined(${d.field}) || ${d.field} == ${param(d.grant, false)})`
  }
}

/** What a document requires, per dimension, always as a list of values (empty: nothing required). */
function requirementOf(d: Dimension): string {
  switch (d.kind) {
    case 'audience':
      return `select(${d.field} == "public" => ["public"], ["signedIn"])`
    case 'anyOf':
    case 'oneOf':
      return `coalesce(${d.field}, [])`
    case 'equals':
      return `select(defined(${d.field}) => [${d.field}], [])`
  }
}

/** The whole rule, with the reader's holdings referred to by `param`. */
export function ruleWith(param: ParamRef): string {
  return `(${DIMENSIONS.map((d) => clauseOf(d, param)).join(' && ')})`
}

/** The whole rule: true when the reader may read the document in scope. */
export const CAN_READ = ruleWith(byParameter)
/**
 * The rule for a signed-out reader holding nothing, with those values written into the query: true
 * for a doc anyone may read. Decides what is indexable and what the sitemap lists, whoever asks.
 */
export const CAN_READ_SIGNED_OUT = ruleWith((name) => JSON.stringify(accessParams(null)[name]))
/** Per-clause results, projected next to a teaser so the page can say what is missing. */
export const ACCESS_CLAUSES = `"access": { ${DIMENSIONS.map((d) => `"${d.name}": ${clauseOf(d)}`).join(', ')} }`
/** Each dimension's requirement, for the teaser's chips and the refusal's explanation. */
export const REQUIREMENTS = `"requirements": { ${DIMENSIONS.map((d) => `"${d.name}": ${requirementOf(d)}`).join(', ')} }`

/** The GROQ parameters of the access rule: `$signedIn` plus one per grant. Anonymous readers hold nothing. */
export type AccessParams = { signedIn: boolean } & Grants

export function accessParams(reader: Grants | null): AccessParams {
  if (!reader) return { signedIn: false, ...NO_GRANTS }
  const grants = Object.fromEntries(
    GRANT_DIMENSIONS.map((d) => {
      const value = reader[d.grant]
      return [d.grant, Array.isArray(value) ? [...value].sort() : value]
    }),
  ) as Grants
  return { signedIn: true, ...grants }
}
