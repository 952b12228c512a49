import { z } from 'zod'
import { viewerFromClaims, type Identity } from '../viewer'

const metadataSchema = z
  .object({ roles: z.unknown().optional(), role: z.unknown().optional(), plan: z.unknown().optional(), tenant: z.unknown().optional() })
  .catch({})
/** Session token v2 keeps the active organization in `o`; v1 used flat org_* claims. */
const orgSchema = z.object({ id: z.string().optional(), rol: z.string().optional() }).catch({})

/**
 * Clerk session claims → Viewer. Roles and plan come from public metadata exposed as a session-token
 * claim (README has the template); the active organization is the tenant and adds `org:<role>`.
 */
export function viewerFromClerkClaims(claims: Record<string, unknown>, metadataClaim: string): Identity {
  const metadata = metadataSchema.parse(claims[metadataClaim] ?? {})
  const org = orgSchema.parse(claims.o ?? { id: claims.org_id, rol: typeof claims.org_role === 'string' ? claims.org_role.replace(/^org:/, '') : undefined })
  // `roles` (set by hand) and `role` (synced from a Sanity entitlement) both count.
  const roles = [...(Array.isArray(metadata.roles) ? metadata.roles : []), ...(typeof metadata.role === 'string' ? [metadata.role] : [])]
  if (org.id && org.rol) roles.push(`org:${org.rol}`)
  return viewerFromClaims(
    { ...claims, roles, tenant: org.id ?? metadata.tenant, plan: metadata.plan },
    { roles: 'roles', tenant: 'tenant', plan: 'plan' },
    'clerk',
  )
}
