import { ManagementClient } from 'auth0'
import { defineQuery } from 'groq'
import { z } from 'zod'
import { DeliveryRejected, callTarget } from '../errors'
import { defineHandler, type SyncTarget } from '../target'
import type { Auth0SyncSettings, TargetContext } from './registry'

// accessPolicy → the Auth0 organization's metadata {plan, role, contentTags} through the `auth0`
// ManagementClient. Metadata is read, merged and written whole, so keys Gatehouse does not own stay;
// an inactive or deleted policy removes Gatehouse's keys. Auth0's limits are checked before calling.

export const AUTH0_METADATA_LIMITS = { keys: 25, valueLength: 255 }

const POLICY_QUERY = defineQuery(`*[_type == "accessPolicy" && _id == $id][0]{
  _id, auth0OrganizationId, "plan": plan->slug, "role": role->key, allowedContentTags, status
}`)

const orgId = z.string().regex(/^org_[A-Za-z0-9]{1,64}$/)
const policy = z.object({
  _id: z.string(),
  auth0OrganizationId: orgId,
  plan: z.string().nullable().optional(),
  role: z.string().nullable().optional(),
  allowedContentTags: z.array(z.string()).nullable().optional(),
  status: z.enum(['active', 'inactive']).nullable().optional(),
})
const gonePolicy = z.object({ auth0OrganizationId: orgId })

const OWNED_KEYS = ['plan', 'role', 'contentTags'] as const

const call = <T>(what: string, run: () => Promise<T>) => callTarget('Auth0', what, run)

/** Auth0 refuses more than 25 keys or a value over 255 characters: say so before calling it. */
export function assertWithinAuth0Limits(metadata: Record<string, unknown>): void {
  const keys = Object.keys(metadata)
  if (keys.length > AUTH0_METADATA_LIMITS.keys) {
    throw new DeliveryRejected(422, `Auth0 organization metadata would have ${keys.length} keys; Auth0 allows ${AUTH0_METADATA_LIMITS.keys}`)
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string' || value.length > AUTH0_METADATA_LIMITS.valueLength) {
      throw new DeliveryRejected(422, `Auth0 organization metadata "${key}" must be a string of at most ${AUTH0_METADATA_LIMITS.valueLength} characters`)
    }
  }
}

async function writeMetadata(client: ManagementClient, organization: string, owned: Partial<Record<(typeof OWNED_KEYS)[number], string>>): Promise<string[]> {
  const current = await call('organization read', () => client.organizations.get(organization))
  const metadata: Record<string, unknown> = { ...(current.metadata ?? {}) }
  for (const key of OWNED_KEYS) delete metadata[key]
  Object.assign(metadata, owned)
  assertWithinAuth0Limits(metadata)
  await call('organization update', () => client.organizations.update(organization, { metadata: metadata as Record<string, string> }))
  return [`organization ${organization}: ${JSON.stringify(owned)}`]
}

export function auth0Target(settings: Auth0SyncSettings, { timeoutMs }: TargetContext): SyncTarget {
  // No SDK retries: a 503 hands retrying to Sanity. The client caches its management token. Its token
  // request has a fixed 10 s timeout of its own: the fetch it is given bounds that by SYNC_TIMEOUT_MS
  // too (a real abort, so nothing completes after the delivery has answered).
  const boundedFetch: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) })
  const client = new ManagementClient({ ...settings, maxRetries: 0, timeoutInSeconds: Math.ceil(timeoutMs / 1000), fetch: boundedFetch })
  return {
    handlers: {
      accessPolicy: defineHandler({
        query: POLICY_QUERY,
        doc: policy,
        gone: gonePolicy,
        record: (doc) => ({ auth0OrganizationId: doc.auth0OrganizationId }),
        async apply(doc) {
          if (doc.status === 'inactive') return { applied: await writeMetadata(client, doc.auth0OrganizationId, {}) }
          const owned: Partial<Record<(typeof OWNED_KEYS)[number], string>> = {
            ...(doc.plan ? { plan: doc.plan } : {}),
            ...(doc.role ? { role: doc.role } : {}),
            contentTags: JSON.stringify([...new Set(doc.allowedContentTags ?? [])].sort()),
          }
          return { applied: await writeMetadata(client, doc.auth0OrganizationId, owned) }
        },
        remove: async (gone) => ({ applied: await writeMetadata(client, gone.auth0OrganizationId, {}) }),
      }),
    },
  }
}
