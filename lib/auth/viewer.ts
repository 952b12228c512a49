import { z } from 'zod'

export type AuthProviderId = 'local' | 'oidc' | 'descope' | 'clerk' | 'auth0' | 'okta'

/** Who is reading, as every identity provider adapter reports it. The content layer sees only this. */
export type Viewer = {
  subject: string
  email: string | null
  name: string | null
  /** Sorted, unique role keys. */
  roles: string[]
  tenant: string | null
  plan: string | null
  provider: AuthProviderId
}

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
 * Builds a Viewer from verified token claims. Claims that are missing or malformed grant nothing:
 * a bad `roles` claim means no roles, never an error page or a guess.
 */
export function viewerFromClaims(claims: Record<string, unknown>, names: ClaimNames, provider: AuthProviderId): Viewer {
  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : null
  if (!subject) throw new Error('The identity token has no subject')
  return {
    subject,
    email: lenient(text, null).parse(claims.email) ?? null,
    name: lenient(text, null).parse(claims.name ?? claims.preferred_username) ?? null,
    roles: lenient(roleList, []).parse(claims[names.roles]) ?? [],
    tenant: lenient(text, null).parse(claims[names.tenant]) ?? null,
    plan: lenient(text, null).parse(claims[names.plan]) ?? null,
    provider,
  }
}

export const viewerSchema: z.ZodType<Viewer> = z.object({
  subject: z.string().min(1),
  email: z.string().nullable(),
  name: z.string().nullable(),
  roles: z.array(z.string()),
  tenant: z.string().nullable(),
  plan: z.string().nullable(),
  provider: z.enum(['local', 'oidc', 'descope', 'clerk', 'auth0', 'okta']),
})
