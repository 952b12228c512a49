import { z } from 'zod'
import { GRANT_DIMENSIONS } from '@/lib/access/dimensions'
import type { ClaimNames } from '../viewer'
import { viewerFromClaims, type Identity } from '../viewer'

const metadataSchema = z.record(z.string(), z.unknown()).catch({})
/** Session token v2 keeps the active organization in `o`; v1 used flat org_* claims. */
const orgSchema = z.object({ id: z.string().optional(), rol: z.string().optional() }).catch({})

/**
 * Clerk session claims → Identity. Grants come from public metadata exposed as a session-token claim
 * (README has the template), under the keys in `claims`; the active organization is the tenant and
 * adds `org:<role>`.
 */
export function viewerFromClerkClaims(claims: Record<string, unknown>, metadataClaim: string, names: ClaimNames): Identity {
  const metadata = metadataSchema.parse(claims[metadataClaim] ?? {})
  const org = orgSchema.parse(claims.o ?? { id: claims.org_id, rol: typeof claims.org_role === 'string' ? claims.org_role.replace(/^org:/, '') : undefined })
  // `roles` (set by hand) and `role` (synced from a Sanity entitlement) both count.
  const roles = [
    ...(Array.isArray(metadata[names.roles]) ? (metadata[names.roles] as unknown[]) : []),
    ...(typeof metadata.role === 'string' ? [metadata.role] : []),
  ]
  if (org.id && org.rol) roles.push(`org:${org.rol}`)
  const grants: Record<string, unknown> = { roles, tenant: org.id ?? metadata[names.tenant] }
  for (const d of GRANT_DIMENSIONS) if (!(d.grant in grants)) grants[d.grant] = metadata[names[d.grant]]
  const grantNames = Object.fromEntries(GRANT_DIMENSIONS.map((d) => [d.grant, `gatehouse:${d.grant}`])) as ClaimNames
  return viewerFromClaims({ ...claims, ...Object.fromEntries(Object.entries(grants).map(([k, v]) => [`gatehouse:${k}`, v])) }, grantNames, 'clerk')
}
