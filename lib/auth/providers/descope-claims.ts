import type { ClaimNames } from '../viewer'
import { viewerFromClaims, type Identity } from '../viewer'

type TenantClaims = Record<string, { roles?: unknown } | undefined>

/**
 * Descope session claims → Identity. Roles are the project roles plus the roles held in the current
 * tenant (`dct`, or the only tenant when there is exactly one); every other grant (plan, region, …) is
 * a custom claim named in `claims` (DESCOPE_<GRANT>_CLAIM, default the grant's name).
 */
export function viewerFromDescopeToken(token: Record<string, unknown>, claims: ClaimNames): Identity {
  const tenants: TenantClaims = typeof token.tenants === 'object' && token.tenants !== null ? (token.tenants as TenantClaims) : {}
  const tenantIds = Object.keys(tenants)
  const current = typeof token.dct === 'string' && token.dct in tenants ? token.dct : tenantIds.length === 1 ? tenantIds[0]! : null
  const projectRoles = Array.isArray(token.roles) ? token.roles : []
  const tenantRoles = current && Array.isArray(tenants[current]?.roles) ? (tenants[current]!.roles as unknown[]) : []
  const structural = { 'gatehouse:roles': [...projectRoles, ...tenantRoles], 'gatehouse:tenant': current }
  return viewerFromClaims({ ...token, ...structural }, { ...claims, roles: 'gatehouse:roles', tenant: 'gatehouse:tenant' }, 'descope')
}
