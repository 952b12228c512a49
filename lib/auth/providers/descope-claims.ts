import { viewerFromClaims, type Identity } from '../viewer'

type TenantClaims = Record<string, { roles?: unknown } | undefined>

/**
 * Descope session claims → Viewer. Roles are the project roles plus the roles held in the current
 * tenant (`dct`, or the only tenant when there is exactly one); the plan is a custom claim.
 */
export function viewerFromDescopeToken(token: Record<string, unknown>, planClaim: string): Identity {
  const tenants: TenantClaims = typeof token.tenants === 'object' && token.tenants !== null ? (token.tenants as TenantClaims) : {}
  const tenantIds = Object.keys(tenants)
  const current = typeof token.dct === 'string' && token.dct in tenants ? token.dct : tenantIds.length === 1 ? tenantIds[0]! : null
  const projectRoles = Array.isArray(token.roles) ? token.roles : []
  const tenantRoles = current && Array.isArray(tenants[current]?.roles) ? (tenants[current]!.roles as unknown[]) : []
  return viewerFromClaims(
    { ...token, roles: [...projectRoles, ...tenantRoles], tenant: current, plan: token[planClaim] },
    { roles: 'roles', tenant: 'tenant', plan: 'plan' },
    'descope',
  )
}
