import { z } from 'zod'
import { NO_GRANTS, type Grants } from '@/lib/access/dimensions'
import { grantsOf, MEMBER_GRANTS_PROJECTION, memberGrantsSchema } from '@/lib/content/member-grants'
import { DeliveryRejected, classifyTargetError } from '../errors'
import { defineHandler, type SyncTarget } from '../target'
import type { LocalSyncSettings, TargetContext } from './registry'

// The embedded default's target: the local IdP's admin API (dev/idp), so the whole publish → IdP →
// sign-in loop runs on a laptop. Set semantics: every call writes the member's complete grants.

const LOCAL_MEMBER_QUERY = `*[_type == "memberProfile" && _id == $id][0]{ "loginId": loginIds.local, ${MEMBER_GRANTS_PROJECTION} }`

const loginId = z.string().regex(/^[\w@.|:+-]{1,128}$/)
const member = memberGrantsSchema.extend({ loginId: loginId.nullable().optional() })
const goneMember = z.object({ loginIds: z.object({ local: loginId.nullable().optional() }).nullable().optional() })

export function localTarget(settings: LocalSyncSettings, { timeoutMs }: TargetContext): SyncTarget {
  async function putUser(id: string, grants: Grants): Promise<void> {
    let response: Response
    try {
      response = await fetch(new URL(`/admin/users/${encodeURIComponent(id)}`, settings.idpUrl), {
        method: 'PUT',
        headers: { authorization: `Bearer ${settings.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(grants),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      throw classifyTargetError('local IdP', error)
    }
    if (response.status === 404) throw new DeliveryRejected(422, `The local IdP has no user "${id}"`)
    if (!response.ok) throw classifyTargetError('local IdP', { status: response.status })
  }

  return {
    handlers: {
      memberProfile: defineHandler({
        query: LOCAL_MEMBER_QUERY,
        doc: member,
        gone: goneMember,
        record: (doc) => ({ loginIds: { local: doc.loginId ?? null } }),
        async apply(doc) {
          if (!doc.loginId) return { applied: [] }
          const { grants } = grantsOf(doc)
          await putUser(doc.loginId, grants)
          return { applied: [`user ${doc.loginId}: ${JSON.stringify(grants)}`] }
        },
        async remove(gone) {
          const id = gone.loginIds?.local
          if (!id) return { applied: [] }
          await putUser(id, NO_GRANTS)
          return { applied: [`user ${id}: access removed`] }
        },
      }),
    },
  }
}
