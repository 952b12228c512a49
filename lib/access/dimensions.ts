/**
 * The access dimensions: what a reader can hold and a document can require, each defined once. The
 * GROQ rule and its per-clause explanation, the query parameters, the result shapes, the refusal
 * text, the preview form and cookie, the explainer rows, the Studio fields and their validation, the
 * claim mapping and the memberProfile projection are all derived from this list (see README,
 * "Add an access dimension"). A document is readable when every clause holds; an empty requirement
 * admits anyone, and anything missing or malformed on the reader's side grants nothing.
 */

/**
 * How a reader's value meets a document's requirement:
 * - `audience`: the document is `public` or needs a signed-in reader (no grant; being signed in);
 * - `anyOf`: the reader holds a set (roles) and needs one of the document's values;
 * - `oneOf`: the reader holds one value (plan, region) that must be among the document's values;
 * - `equals`: the reader holds one value (tenant) that must equal the document's single value.
 */
export type DimensionKind = 'audience' | 'anyOf' | 'oneOf' | 'equals'

type Definition<Name extends string, Kind extends DimensionKind, Grant extends string> = {
  /** The clause's name: explainer rows (`rule-<name>`), refusal reasons, the preview form. */
  name: Name
  kind: Kind
  /** The reader's property holding the value (Viewer, claims, memberProfile projection, preview cookie). */
  grant: Grant
  /** What editors and readers call it. */
  label: string
  /** The gatedPage field holding the requirement (`audience` for the audience clause). */
  field: string
  /** Studio field title and help. */
  studio: { title: string; description: string }
  /** The token claim read by default for readers without a memberProfile (per-provider overrides in config). */
  claim: string
  /** GROQ projection of the value from a memberProfile (references resolved). */
  profile: string
  /**
   * Values editors can preview as and that requirements must name: a GROQ expression yielding
   * `[{value, title}]`. `exists`, when set, checks in the Studio that a requirement names existing
   * values: a GROQ query returning those of `$values` that exist, what they are, and where to create them.
   */
  options: string
  exists?: { query: string; noun: string; create: string }
  /** Refusal text for a failed clause. */
  missing(required: string[]): string
  /** The requirement in a few words (chips on teasers and docs); null when there is none. */
  chip(required: string[]): string | null
  /** The explainer's "requires" and "this audience has" cells. */
  requires(required: string[]): string
  has(held: string[]): string
}

const define = <const Name extends string, const Kind extends DimensionKind, const Grant extends string>(d: Definition<Name, Kind, Grant>) => d

const list = (values: string[], joiner = ', ') => values.join(joiner)

export const DIMENSIONS = [
  define({
    name: 'audience',
    kind: 'audience',
    grant: 'signedIn',
    label: 'Audience',
    field: 'audience',
    studio: { title: 'Audience', description: 'Public (anyone, signed out too) or signed-in readers.' },
    claim: '',
    profile: '',
    options: '[]',
    missing: () => 'Sign in to read this document.',
    chip: (required) => (required[0] === 'public' ? null : 'Signed-in readers'),
    requires: (required) => (required[0] === 'public' ? 'anyone' : 'signed-in readers'),
    has: (held) => (held[0] === 'true' ? 'signed in' : 'signed out'),
  }),
  define({
    name: 'role',
    kind: 'anyOf',
    grant: 'roles',
    label: 'Role',
    field: 'requiredRoles',
    studio: { title: 'Required roles', description: 'Role keys (accessRole.key). The reader needs at least one. Empty: no role needed.' },
    claim: 'roles',
    profile: 'roles[]->key',
    options: '*[_type == "accessRole" && defined(key)] | order(key asc) { "value": key, "title": coalesce(title, key) }',
    exists: { query: '*[_type == "accessRole" && key in $values].key', noun: 'access role with key', create: 'Access → Roles' },
    missing: (required) => `Requires one of these roles: ${list(required)}.`,
    chip: (required) => (required.length > 0 ? `Role: ${list(required, ' or ')}` : null),
    requires: (required) => (required.length > 0 ? `one of ${list(required)}` : 'no role needed'),
    has: (held) => (held.length > 0 ? list(held) : 'no roles'),
  }),
  define({
    name: 'tenant',
    kind: 'equals',
    grant: 'tenant',
    label: 'Organization',
    field: 'tenantId',
    studio: { title: 'Tenant', description: 'organizationProfile.tenantId. Empty: any tenant.' },
    claim: 'tenant',
    profile: 'tenant->tenantId',
    options: '*[_type == "organizationProfile" && defined(tenantId)] | order(name asc) { "value": tenantId, "title": coalesce(name, tenantId) }',
    missing: (required) => (required[0] ? `Only for members of the ${required[0]} organization.` : 'Only for members of another organization.'),
    chip: (required) => (required[0] ? `Organization: ${required[0]}` : null),
    requires: (required) => required[0] ?? 'any organization',
    has: (held) => held[0] ?? 'no organization',
  }),
  define({
    name: 'plan',
    kind: 'oneOf',
    grant: 'plan',
    label: 'Plan',
    field: 'plans',
    studio: { title: 'Allowed plans', description: 'Plan slugs (accessPlan.slug). The reader needs one of them. Empty: any plan.' },
    claim: 'plan',
    profile: 'plan->slug',
    options: '*[_type == "accessPlan" && defined(slug)] | order(slug asc) { "value": slug, "title": coalesce(title, slug) }',
    exists: { query: '*[_type == "accessPlan" && slug in $values].slug', noun: 'plan with slug', create: 'Access → Plans' },
    missing: (required) => `Requires one of these plans: ${list(required)}.`,
    chip: (required) => (required.length > 0 ? `Plan: ${list(required, ' or ')}` : null),
    requires: (required) => (required.length > 0 ? `one of ${list(required)}` : 'any plan'),
    has: (held) => held[0] ?? 'no plan',
  }),
  define({
    name: 'region',
    kind: 'oneOf',
    grant: 'region',
    label: 'Region',
    field: 'regions',
    studio: { title: 'Allowed regions', description: 'Reader regions (memberProfile.region, or the region claim), e.g. eu, us. Empty: any region.' },
    claim: 'region',
    profile: 'region',
    options: 'array::unique(*[_type == "memberProfile" && defined(region)].region)[] | order(@ asc) { "value": @, "title": @ }',
    missing: (required) => `Only for readers in these regions: ${list(required)}.`,
    chip: (required) => (required.length > 0 ? `Region: ${list(required, ' or ')}` : null),
    requires: (required) => (required.length > 0 ? `one of ${list(required)}` : 'any region'),
    has: (held) => held[0] ?? 'no region',
  }),
] as const

export type Dimension = (typeof DIMENSIONS)[number]
export type DimensionName = Dimension['name']
/** The dimensions a reader holds something for (all but the audience, which is being signed in). */
export type GrantDimension = Exclude<Dimension, { kind: 'audience' }>
export type GrantName = GrantDimension['grant']

export const GRANT_DIMENSIONS = DIMENSIONS.filter((d): d is GrantDimension => d.kind !== 'audience')

/** What a reader holds: a set for `anyOf` dimensions, one value (or none) for the others. */
export type Grants = { [D in GrantDimension as D['grant']]: D['kind'] extends 'anyOf' ? string[] : string | null }

/** Nothing: what an anonymous reader, or one whose access could not be confirmed, holds. */
export const NO_GRANTS = Object.fromEntries(GRANT_DIMENSIONS.map((d) => [d.grant, d.kind === 'anyOf' ? [] : null])) as unknown as Grants

/** A grant as a list of values, whatever its kind (for the words above). */
export function heldValues(grants: Grants, d: GrantDimension): string[] {
  const value = grants[d.grant]
  return Array.isArray(value) ? value : value === null ? [] : [value]
}

/** Only the grant properties of an object that has them (a Viewer, a preview audience). */
export function pickGrants(source: Grants): Grants {
  return Object.fromEntries(GRANT_DIMENSIONS.map((d) => [d.grant, source[d.grant]])) as Grants
}
