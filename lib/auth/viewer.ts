import { z } from 'zod'
import { GRANT_DIMENSIONS, type GrantName, type Grants } from '@/lib/access/dimensions'

import { PROVIDER_NAMES, type ProviderName } from './provider-names'

/** The person, whatever they may read. */
export type Person = { subject: string; email: string | null; name: string | null; provider: ProviderName }

/**
 * Who signed in, as the identity provider's verified token says. Its grants (roles, tenant, plan, …:
 * one per access dimension) are a snapshot from when the IdP issued the claims; Gatehouse never
 * decides access from it directly (lib/auth/member-access.ts turns it into a Viewer with the member's
 * current access).
 */
export type Identity = Person &
  Grants & {
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

/** Where a viewer's grants come from, and why they may be empty. */
export type ViewerAccess = {
  /** `profile`: the member's memberProfile in Sanity, as it is now. `token`: the IdP's claims. `none`: nothing. */
  source: 'profile' | 'token' | 'none'
  reason: 'profileRemoved' | 'unconfirmed' | null
  /** When the member's access changed after their claims were issued (epoch ms), else null. */
  changedAt: number | null
}

/** Who is reading, with their access as it is now. The content layer sees only its grants. */
export type Viewer = Person & Grants & { access: ViewerAccess }

/** Which token claim carries each grant (configurable per provider in lib/config). */
export type ClaimNames = Record<GrantName, string>

const text = z
  .string()
  .trim()
  .max(256)
  .transform((value) => value || null)
const valueList = z
  .union([z.array(z.unknown()), z.string()])
  .transform((value) => (typeof value === 'string' ? value.split(/[\s,]+/) : value))
  .transform((values) =>
    [
      ...new Set(
        values
          .filter((v): v is string => typeof v === 'string')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ].sort(),
  )

const lenient = <T extends z.ZodType>(schema: T, fallback: z.output<T>) => schema.optional().nullable().catch(fallback)

/** Grants read from claims: a set per `anyOf` dimension, one value per other dimension. */
export function grantsFromClaims(claims: Record<string, unknown>, names: ClaimNames): Grants {
  return Object.fromEntries(
    GRANT_DIMENSIONS.map((d) => [
      d.grant,
      d.kind === 'anyOf' ? (lenient(valueList, []).parse(claims[names[d.grant]]) ?? []) : (lenient(text, null).parse(claims[names[d.grant]]) ?? null),
    ]),
  ) as Grants
}

/**
 * Builds an Identity from verified token claims. Claims that are missing or malformed grant nothing:
 * a bad `roles` claim means no roles, never an error page or a guess. `claimsIssuedAt` is the token's
 * `iat` unless the caller knows better (a session's last re-validation).
 */
export function viewerFromClaims(claims: Record<string, unknown>, names: ClaimNames, provider: ProviderName, claimsIssuedAt?: number): Identity {
  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null
  if (!subject) throw new Error('The identity token has no subject')
  // A missing time is the epoch: any removal recorded since voids these claims (fail closed).
  const seconds = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value * 1000 : 0)
  const issuedAt = claimsIssuedAt ?? seconds(claims.iat)
  return {
    subject,
    email: lenient(text, null).parse(claims.email) ?? null,
    name: lenient(text, null).parse(claims.name ?? claims.preferred_username) ?? null,
    ...grantsFromClaims(claims, names),
    provider,
    claimsIssuedAt: issuedAt,
    sessionStartedAt: typeof claims.auth_time === 'number' ? seconds(claims.auth_time) : issuedAt,
  }
}

/** Each grant's stored shape, per dimension kind (session records, member-access entries, preview cookies). */
export const grantsShape = Object.fromEntries(
  GRANT_DIMENSIONS.map((d) => [d.grant, d.kind === 'anyOf' ? z.array(z.string().max(128)).max(100) : z.string().max(128).nullable()]),
) as unknown as Record<GrantName, z.ZodType<string[]> | z.ZodType<string | null>>

export const grantsSchema = z.object(grantsShape) as unknown as z.ZodType<Grants>

export const identitySchema = z.object({
  subject: z.string().min(1),
  email: z.string().nullable(),
  name: z.string().nullable(),
  provider: z.enum(PROVIDER_NAMES),
  claimsIssuedAt: z.number(),
  sessionStartedAt: z.number(),
  unconfirmed: z.boolean().optional(),
  ...grantsShape,
}) as unknown as z.ZodType<Identity>
