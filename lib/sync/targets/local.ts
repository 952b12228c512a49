import { defineQuery } from 'groq'
import { z } from 'zod'
import { getConfig } from '@/lib/config'
import { localDefaults } from '@/lib/config/defaults'
import { DeliveryRejected, classifyTargetError, syncTimeoutMs } from '../errors'
import { defineHandler, type SyncTarget } from '../target'

// The embedded default's target: the local IdP's admin API (dev/idp), so the whole publish → IdP →
// sign-in loop runs on a laptop. Set semantics: every call writes the complete grant.

const LOCAL_MEMBER_QUERY = defineQuery(`*[_type == "memberProfile" && _id == $id][0]{
  _id, "loginId": loginIds.local, "roles": roles[]->key, "plan": plan->slug, "tenant": tenant->tenantId
}`)

const loginId = z.string().regex(/^[\w@.|:+-]{1,128}$/)
const member = z.object({
  _id: z.string(),
  loginId: loginId.nullable().optional(),
  roles: z.array(z.string().min(1)).nullable().optional().transform((roles) => [...new Set(roles ?? [])].sort()),
  plan: z.string().nullable().optional().transform((v) => v ?? null),
  tenant: z.string().nullable().optional().transform((v) => v ?? null),
})
const goneMember = z.object({ loginIds: z.object({ local: loginId.nullable().optional() }).nullable().optional() })

type Grant = { roles: string[]; tenant: string | null; plan: string | null }

async function putUser(id: string, grant: Grant): Promise<void> {
  const idpUrl = process.env.LOCAL_IDP_URL ?? localDefaults.idpUrl
  const token = process.env.LOCAL_IDP_ADMIN_TOKEN ?? localDefaults.idpAdminToken
  let response: Response
  try {
    response = await fetch(new URL(`/admin/users/${encodeURIComponent(id)}`, idpUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(grant),
      signal: AbortSignal.timeout(syncTimeoutMs()),
    })
  } catch (error) {
    throw classifyTargetError('local IdP', error)
  }
  if (response.status === 404) throw new DeliveryRejected(422, `The local IdP has no user "${id}"`)
  if (!response.ok) throw classifyTargetError('local IdP', { status: response.status })
}

export const localTarget: SyncTarget = {
  name: 'local',
  secretEnv: 'SANITY_WEBHOOK_SECRET_LOCAL',
  requiredEnv: [],
  handlers: {
    memberProfile: defineHandler({
      query: LOCAL_MEMBER_QUERY,
      doc: member,
      gone: goneMember,
      record: (doc) => ({ loginIds: { local: doc.loginId ?? null } }),
      async apply(doc) {
        if (!doc.loginId) return { applied: [] }
        await putUser(doc.loginId, { roles: doc.roles, tenant: doc.tenant, plan: doc.plan })
        return { applied: [`user ${doc.loginId}: roles=[${doc.roles.join(',')}] tenant=${doc.tenant} plan=${doc.plan}`] }
      },
      async remove(gone) {
        const id = gone.loginIds?.local
        if (!id) return { applied: [] }
        await putUser(id, { roles: [], tenant: null, plan: null })
        return { applied: [`user ${id}: access removed`] }
      },
    }),
  },
}

/** Only meaningful on the embedded defaults; off elsewhere so it can never touch a real IdP. */
export function localTargetAllowed(): boolean {
  return getConfig().auth.provider === 'local'
}
