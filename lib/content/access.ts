// The access rule, written once as GROQ. Queries embed these fragments so Sanity itself filters what
// a viewer may read; the same clauses are projected to explain a refusal, never re-implemented in JS.
// A reader needs all four: audience, one required role (if any), the tenant (if set), one plan (if any).
// Anything missing or malformed evaluates to false or null, and null never grants access.
import type { Viewer } from '@/lib/auth/viewer'

export const AUDIENCE_OK = `(audience == "public" || $signedIn == true)`
export const ROLE_OK = `(count(coalesce(requiredRoles, [])) == 0 || count(requiredRoles[@ in $roles]) > 0)`
export const TENANT_OK = `(!defined(tenantId) || tenantId == $tenant)`
export const PLAN_OK = `(count(coalesce(plans, [])) == 0 || $plan in plans)`
export const CAN_READ = `(${AUDIENCE_OK} && ${ROLE_OK} && ${TENANT_OK} && ${PLAN_OK})`
/** Per-clause results, projected next to a teaser so the page can say what is missing. */
export const ACCESS_CLAUSES = `"access": { "audience": ${AUDIENCE_OK}, "role": ${ROLE_OK}, "tenant": ${TENANT_OK}, "plan": ${PLAN_OK} }`

/** The GROQ parameters of the access rule. Anonymous readers hold nothing. */
export type AccessParams = { signedIn: boolean; roles: string[]; tenant: string | null; plan: string | null }

export function accessParams(viewer: Viewer | null): AccessParams {
  if (!viewer) return { signedIn: false, roles: [], tenant: null, plan: null }
  return { signedIn: true, roles: [...viewer.roles].sort(), tenant: viewer.tenant, plan: viewer.plan }
}
