import { createClerkClient } from '@clerk/backend'
import { defineQuery } from 'groq'
import { z } from 'zod'
import { DeliveryRejected, callTarget } from '../errors'
import { defineHandler, type SyncTarget } from '../target'

// entitlement → the Clerk user's public metadata {plan, role, docSlugs} (and the organization's when
// clerkOrganizationId is set), through @clerk/backend. updateUserMetadata deep-merges, so only these
// keys are written, each with its complete value; a delete sets them to null, which removes them.

const ENTITLEMENT_QUERY = defineQuery(`*[_type == "entitlement" && _id == $id][0]{
  _id, clerkUserId, clerkOrganizationId, "plan": plan->slug, "role": role->key, "docSlugs": docs[]->slug.current
}`)

const userId = z.string().regex(/^user_[A-Za-z0-9]{1,64}$/)
const orgId = z.string().regex(/^org_[A-Za-z0-9]{1,64}$/)
const entitlement = z.object({
  _id: z.string(),
  clerkUserId: userId,
  clerkOrganizationId: orgId.nullable().optional(),
  plan: z.string().nullable().optional().transform((v) => v ?? null),
  role: z.string().nullable().optional().transform((v) => v ?? null),
  docSlugs: z.array(z.string().nullable()).nullable().optional().transform((slugs) => [...new Set((slugs ?? []).filter((s): s is string => !!s))].sort()),
})
const goneEntitlement = z.object({ clerkUserId: userId, clerkOrganizationId: orgId.nullable().optional() })

function clerk() {
  const secretKey = process.env.CLERK_SECRET_KEY
  if (!secretKey) throw new DeliveryRejected(500, 'CLERK_SECRET_KEY is not set')
  // CLERK_API_URL is Clerk's own setting for its Backend API (tests point it at a recorder).
  return createClerkClient({ secretKey, ...(process.env.CLERK_API_URL ? { apiUrl: process.env.CLERK_API_URL } : {}) })
}

const call = <T>(what: string, run: () => Promise<T>) => callTarget('Clerk', what, run)

type Metadata = { plan: string | null; role: string | null; docSlugs: string[] | null }

async function write(user: string, org: string | null | undefined, metadata: Metadata): Promise<string[]> {
  const client = clerk()
  await call('user metadata', () => client.users.updateUserMetadata(user, { publicMetadata: metadata }))
  const applied = [`user ${user}: ${JSON.stringify(metadata)}`]
  if (org) {
    await call('organization metadata', () => client.organizations.updateOrganizationMetadata(org, { publicMetadata: metadata }))
    applied.push(`organization ${org}: ${JSON.stringify(metadata)}`)
  }
  return applied
}

export const clerkTarget: SyncTarget = {
  name: 'clerk',
  secretEnv: 'SANITY_WEBHOOK_SECRET_CLERK',
  requiredEnv: ['CLERK_SECRET_KEY'],
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
