import { z } from 'zod'

export type AuthProviderId = 'local' | 'oidc' | 'descope' | 'clerk' | 'auth0' | 'okta'
export const AUTH_PROVIDER_IDS = ['local', 'oidc', 'descope', 'clerk', 'auth0', 'okta'] as const satisfies readonly AuthProviderId[]

/**
 * Who signed in, as the identity provider's verified token says. Its roles, tenant and plan are a
 * snapshot from when the IdP issued the claims; Gatehouse never decides access from it directly
 * (lib/auth/member-access.ts turns it into a Viewer with the member's current access).
 */
export type Identity = {
  subject: string
  email: string | null
  name: string | null
  /** Sorted, unique role keys. */
  roles: string[]
  tenant: string | null
  plan: string | null
  provider: AuthProviderId
  /** When the IdP issued or last re-confirmed these claims (epoch ms). */
  claimsIssuedAt: number
  /**
   * When this session began (epoch ms): sign-in for sessions Gatehouse or the Auth0 SDK holds; for
   * Descope and Clerk the token's `auth_time`, else its `iat`. A memberProfile deleted after it voids
   * the session's IdP claims.
   */
  sessionStartedAt: number
  /** The IdP could not re-confirm the claims in time: they grant nothing until it answers. */
  unconfirmed?: boolean
}

/** Where a viewer's roles, tenant and plan come from, and why they may be empty. */
export type ViewerAccess = {
  /** `profile`: the member's memberProfile in Sanity, as it is now. `token`: the IdP's claims. `none`: nothing. */
  source: 'profile' | 'token' | 'none'
  reason: 'profileRemoved' | 'unconfirmed' | null
  /** When the member's access changed after their claims were issued (epoch ms), else null. */
  changedAt: number | null
}

/** Who is reading, with their access as it is now. The content layer sees only this. */
export type Viewer = Omit<Identity, 'claimsIssuedAt' | 'sessionStartedAt' | 'unconfirmed'> & { access: ViewerAccess }

export type ClaimNames = { roles: string; tenant: string; plan: string }

const text = z
  .string()
  .trim()
  .max(256)
  .transform((value) => value || null)
const roleList = z
  .union([z.array(z.unknown()), z.string()])
  .transform((value) => (typeof value === 'string' ? value.split(/[\s,]+/) : value))
  .transform((values) =>
    [...new Set(values.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean))].sort(),
  )

const lenient = <T extends z.ZodType>(schema: T, fallback: z.output<T>) => schema.optional().nullable().catch(fallback)

/**
 * Builds an Identity from verified token claims. Claims that are missing or malformed grant nothing:
 * a bad `roles` claim means no roles, never an error page or a guess. `claimsIssuedAt` is the token's
 * `iat` unless the caller knows better (a session's last re-validation).
 */
export function viewerFromClaims(claims: Record<string, unknown>, names: ClaimNames, provider: AuthProviderId, claimsIssuedAt?: number): Identity {
  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null
  if (!subject) throw new Error('The identity token has no subject')
  // A missing time is the epoch: any removal recorded since voids these claims (fail closed).
  const seconds = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value * 1000 : 0)
  const issuedAt = claimsIssuedAt ?? seconds(claims.iat)
  return {
    subject,
    email: lenient(text, null).parse(claims.email) ?? null,
    name: lenient(text, null).parse(claims.name ?? claims.preferred_username) ?? null,
    roles: lenient(roleList, []).parse(claims[names.roles]) ?? [],
    tenant: lenient(text, null).parse(claims[names.tenant]) ?? null,
    plan: lenient(text, null).parse(claims[names.plan]) ?? null,
    provider,
    claimsIssuedAt: issuedAt,
    sessionStartedAt: typeof claims.auth_time === 'number' ? seconds(claims.auth_time) : issuedAt,
  }
}

export const identitySchema: z.ZodType<Identity> = z.object({
  subject: z.string().min(1),
  email: z.string().nullable(),
  name: z.string().nullable(),
  roles: z.array(z.string()),
  tenant: z.string().nullable(),
  plan: z.string().nullable(),
  provider: z.enum(AUTH_PROVIDER_IDS),
  claimsIssuedAt: z.number(),
  sessionStartedAt: z.number(),
  unconfirmed: z.boolean().optional(),
})
