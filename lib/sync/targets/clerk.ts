import { createClerkClient } from '@clerk/backend'
import { defineQuery } from 'groq'
import { z } from 'zod'
import { callTarget } from '../errors'
import { defineHandler, type SyncTarget } from '../target'
import type { ClerkSyncSettings } from './registry'

// entitlement → the Clerk user's public metadata {plan, role, docSlugs} (and the organization's when
// clerkOrganizationId is set), through Clerk's backend client. updateUserMetadata deep-merges, so only
// these keys are written, each with its complete value; a delete sets them to null, which removes them.

const ENTITLEMENT_QUERY = defineQuery(`*[_type == "entitlement" && _id == $id][0]{
  _id, clerkUserId, clerkOrganizationId, "plan": plan->slug, "role": role->key, "docSlugs": docs[]->slug.current
}`)

const userId = z.string().regex(/^user_[A-Za-z0-9]{1,64}$/)
const orgId = z.string().regex(/^org_[A-Za-z0-9]{1,64}$/)
const entitlement = z.object({
  _id: z.string(),
  clerkUserId: userId,
  clerkOrganizationId: orgId.nullable().optional(),
  plan: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  role: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  docSlugs: z
    .array(z.string().nullable())
    .nullable()
    .optional()
    .transform((slugs) => [...new Set((slugs ?? []).filter((s): s is string => !!s))].sort()),
})
const goneEntitlement = z.object({ clerkUserId: userId, clerkOrganizationId: orgId.nullable().optional() })

const call = <T>(what: string, run: () => Promise<T>) => callTarget('Clerk', what, run)

type Metadata = { plan: string | null; role: string | null; docSlugs: string[] | null }

export function clerkTarget(settings: ClerkSyncSettings): SyncTarget {
  // apiUrl: Clerk's own setting for its Backend API (tests point it at a recorder).
  const client = createClerkClient({ secretKey: settings.secretKey, ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) })

  async function write(user: string, org: string | null | undefined, metadata: Metadata): Promise<string[]> {
    await call('user metadata', () => client.users.updateUserMetadata(user, { publicMetadata: metadata }))
    const applied = [`user ${user}: ${JSON.stringify(metadata)}`]
    if (org) {
      await call('organization metadata', () => client.organizations.updateOrganizationMetadata(org, { publicMetadata: metadata }))
      applied.push(`organization ${org}: ${JSON.stringify(metadata)}`)
    }
    return applied
  }

  return {
    handlers: {
      entitlement: defineHandler({
        query: ENTITLEMENT_QUERY,
        doc: entitlement,
        gone: goneEntitlement,
        record: (doc) => ({ clerkUserId: doc.clerkUserId, clerkOrganizationId: doc.clerkOrganizationId ?? null }),
        apply: async (doc) => ({ applied: await write(doc.clerkUserId, doc.clerkOrganizationId, { plan: doc.plan, role: doc.role, docSlugs: doc.docSlugs }) }),
        remove: async (gone) => ({ applied: await write(gone.clerkUserId, gone.clerkOrganizationId, { plan: null, role: null, docSlugs: null }) }),
      }),
    },
  }
}
