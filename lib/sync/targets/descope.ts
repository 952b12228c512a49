import { createSdk } from '@descope/nextjs-sdk/server'
import { defineQuery } from 'groq'
import { z } from 'zod'
import { TargetUnavailable, classifyTargetError } from '../errors'
import { defineHandler, type SyncTarget } from '../target'
import type { DescopeSyncSettings, TargetContext } from './registry'

// memberProfile → the Descope user (patch: roles, tenant membership and roles, custom attributes);
// organizationProfile → the tenant's name; accessRole → the role exists. Through @descope/node-sdk's
// management API. Patch, never update: update would overwrite every field of the user.

const DESCOPE_MEMBER_QUERY = defineQuery(`*[_type == "memberProfile" && _id == $id][0]{
  _id, "loginId": loginIds.descope, "roles": roles[]->key, "plan": plan->slug, "tenant": tenant->tenantId,
  locale, region, onboardingStage
}`)
const ORGANIZATION_QUERY = defineQuery(`*[_type == "organizationProfile" && _id == $id][0]{ _id, tenantId, name }`)
const ROLE_QUERY = defineQuery(`*[_type == "accessRole" && _id == $id][0]{ _id, key, description }`)

const loginId = z.string().regex(/^[\w@.|:+-]{1,128}$/)
const optionalText = z
  .string()
  .max(256)
  .nullable()
  .optional()
  .transform((v) => v ?? '')
const member = z.object({
  _id: z.string(),
  loginId: loginId.nullable().optional(),
  roles: z
    .array(z.string().min(1))
    .nullable()
    .optional()
    .transform((roles) => [...new Set(roles ?? [])].sort()),
  plan: optionalText,
  tenant: z
    .string()
    .regex(/^[\w-]{1,64}$/)
    .nullable()
    .optional(),
  locale: optionalText,
  region: optionalText,
  onboardingStage: optionalText,
})
const organization = z.object({ _id: z.string(), tenantId: z.string().regex(/^[\w-]{1,64}$/), name: z.string().min(1).max(256) })
const role = z.object({ _id: z.string(), key: z.string().regex(/^[a-z][a-z0-9_:-]{0,63}$/), description: z.string().max(1024).nullable().optional() })

type SdkResponse<T> = { ok: boolean; code?: number; data?: T; error?: { errorCode: string; errorDescription: string; retryAfter?: string } }

type Management = ReturnType<typeof createSdk>['management']

/** One SDK per configuration: constructing it makes a license handshake call to Descope. */
const clients = new Map<string, Management>()
function management(settings: DescopeSyncSettings, timeoutMs: number): Management {
  const key = `${settings.projectId}\0${settings.managementKey}\0${settings.baseUrl ?? ''}`
  let found = clients.get(key)
  if (!found) {
    found = createSdk({
      projectId: settings.projectId,
      managementKey: settings.managementKey,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
      // The SDK's own fetch option, bounded so a hanging Descope becomes a retryable 503.
      fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    }).management
    clients.set(key, found)
  }
  return found
}

/** Descope answers {ok, code, error} instead of throwing: map it the same way as other targets. */
async function check<T>(what: string, call: () => Promise<SdkResponse<T>>): Promise<SdkResponse<T>> {
  let response: SdkResponse<T>
  try {
    response = await call()
  } catch (error) {
    throw classifyTargetError(`Descope (${what})`, error)
  }
  if (response.ok) return response
  if (response.code === 429) throw new TargetUnavailable(`Descope rate-limited ${what}`, Number(response.error?.retryAfter) || 60)
  throw classifyTargetError(`Descope (${what}: ${response.error?.errorCode ?? 'error'})`, { status: response.code ?? 500 })
}

const isMissing = (response: SdkResponse<unknown>) => response.code === 404 || /not found/i.test(response.error?.errorDescription ?? '')

type Grant = { roles: string[]; tenant?: string | null; plan: string; locale: string; region: string; onboardingStage: string }

async function patchUser(sdk: Management, id: string, grant: Grant): Promise<string[]> {
  // Roles are held in the tenant when the member belongs to one (Descope's B2B model), else in the project.
  const patch = {
    roles: grant.tenant ? [] : grant.roles,
    userTenants: grant.tenant ? [{ tenantId: grant.tenant, roleNames: grant.roles }] : [],
    customAttributes: { plan: grant.plan, locale: grant.locale, region: grant.region, onboardingStage: grant.onboardingStage },
  }
  await check('user patch', () => sdk.user.patch(id, patch))
  return [`user ${id}: ${JSON.stringify(patch)}`]
}

export function descopeTarget(settings: DescopeSyncSettings, { timeoutMs }: TargetContext): SyncTarget {
  const sdk = () => management(settings, timeoutMs)
  return {
    handlers: {
      memberProfile: defineHandler({
        query: DESCOPE_MEMBER_QUERY,
        doc: member,
        gone: z.object({ loginIds: z.object({ descope: loginId.nullable().optional() }).nullable().optional() }),
        record: (doc) => ({ loginIds: { descope: doc.loginId ?? null } }),
        apply: async (doc) => ({ applied: doc.loginId ? await patchUser(sdk(), doc.loginId, doc) : [] }),
        // A deleted profile strips everything it granted.
        remove: async (gone) => {
          const id = gone.loginIds?.descope
          return { applied: id ? await patchUser(sdk(), id, { roles: [], tenant: null, plan: '', locale: '', region: '', onboardingStage: '' }) : [] }
        },
      }),

      organizationProfile: defineHandler({
        query: ORGANIZATION_QUERY,
        doc: organization,
        gone: z.object({}),
        record: () => ({}),
        async apply(doc) {
          const tenants = sdk().tenant
          const loaded = await tenants.load(doc.tenantId).catch((error: unknown) => {
            throw classifyTargetError('Descope (tenant load)', error)
          })
          if (!loaded.ok && !isMissing(loaded)) await check('tenant load', async () => loaded)
          if (!loaded.ok) {
            await check('tenant create', () => tenants.createWithId(doc.tenantId, doc.name))
            return { applied: [`tenant ${doc.tenantId}: created "${doc.name}"`] }
          }
          // tenant.update replaces every field: carry over what Gatehouse does not own.
          const current = loaded.data!
          if (current.name === doc.name) return { applied: [] }
          await check('tenant update', () =>
            tenants.update(doc.tenantId, doc.name, current.selfProvisioningDomains, current.customAttributes, current.enforceSSO, current.disabled),
          )
          return { applied: [`tenant ${doc.tenantId}: renamed "${doc.name}"`] }
        },
        // Deleting the profile does not delete the Descope tenant (and its users' memberships).
        remove: async () => ({ applied: [] }),
      }),

      accessRole: defineHandler({
        query: ROLE_QUERY,
        doc: role,
        gone: z.object({}),
        record: () => ({}),
        async apply(doc) {
          const roles = sdk().role
          const { data } = await check('role list', () => roles.loadAll())
          const existing = (data ?? []).find((r) => r.name === doc.key && !r.tenantId)
          const description = doc.description ?? ''
          if (!existing) {
            await check('role create', () => roles.create(doc.key, description))
            return { applied: [`role ${doc.key}: created`] }
          }
          if ((existing.description ?? '') === description) return { applied: [] }
          await check('role update', () => roles.update(doc.key, doc.key, description, existing.permissionNames))
          return { applied: [`role ${doc.key}: description updated`] }
        },
        // Removing a Descope role would strip it from every user at once; that stays a deliberate act in Descope.
        remove: async () => ({ applied: [] }),
      }),
    },
  }
}
