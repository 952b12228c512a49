import okta from '@okta/okta-sdk-nodejs'
import { defineQuery } from 'groq'
import { z } from 'zod'
import { TargetUnavailable, callTarget, classifyTargetError } from '../errors'
import { defineHandler, type SyncTarget } from '../target'
import type { OktaSyncSettings, TargetContext } from './registry'

// An access-controlled doc with `okta.active` → an Okta group `content:<slug>` (created once, its id
// written back to the Sanity doc, its profile replaced on later publishes); a deleted doc → its group
// is deleted, and with it the memberships it granted. Through @okta/okta-sdk-nodejs.

const PAGE_QUERY = defineQuery(`*[_type == "gatedPage" && _id == $id][0]{ _id, title, "slug": slug.current, okta }`)

const groupId = z.string().regex(/^[A-Za-z0-9]{1,64}$/)
const page = z.object({
  _id: z.string(),
  title: z.string().min(1).max(200),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,95}$/),
  okta: z
    .object({ active: z.boolean().nullable().optional(), groupId: groupId.nullable().optional(), groupName: z.string().nullable().optional() })
    .nullable()
    .optional(),
})
const gonePage = z.object({ okta: z.object({ groupId: groupId.nullable().optional() }).nullable().optional() })

const call = <T>(what: string, run: () => Promise<T>) => callTarget('Okta', what, run)

const isNotFound = (error: unknown) => typeof error === 'object' && error !== null && (error as { status?: number }).status === 404

async function findGroupByName(client: okta.Client, name: string): Promise<string | null> {
  const groups = await call('group search', () => client.groupApi.listGroups({ q: name, limit: 10 }))
  let found: string | null = null
  await call('group search', () =>
    groups.each((group) => {
      if (group.profile?.name === name && group.id) {
        found = group.id
        return false
      }
    }),
  )
  return found
}

export function oktaTarget(settings: OktaSyncSettings, { timeoutMs, sanityWriter }: TargetContext): SyncTarget {
  // No SDK-side 429 retries: a 503 hands the retry to Sanity, which backs off for up to 30 minutes.
  const client = new okta.Client({
    orgUrl: settings.orgUrl,
    token: settings.apiToken,
    requestExecutor: new okta.DefaultRequestExecutor({ maxRetries: 0, requestTimeout: timeoutMs }),
  })
  return {
    handlers: {
      gatedPage: defineHandler({
        query: PAGE_QUERY,
        doc: page,
        gone: gonePage,
        record: (doc) => ({ okta: { groupId: doc.okta?.groupId ?? null } }),
        async apply(doc) {
          if (doc.okta?.active !== true) return { applied: [] }
          const name = `content:${doc.slug}`
          const group = { profile: { name, description: `Gatehouse readers of "${doc.title}"` } }
          const groups = client.groupApi
          let id = doc.okta.groupId ?? null
          let action = 'updated'
          if (id) {
            const replaced = await groups.replaceGroup({ groupId: id, group }).then(
              () => true,
              (error: unknown) => {
                if (isNotFound(error)) return false // deleted in Okta: create it again below
                throw classifyTargetError('Okta (group replace)', error)
              },
            )
            if (!replaced) id = null
          }
          if (!id) {
            // A re-delivery after a failed write-back finds the group it created instead of a duplicate.
            id = await findGroupByName(client, name)
            if (id) await call('group replace', () => groups.replaceGroup({ groupId: id!, group }))
            else {
              const created = await call('group create', () => groups.createGroup({ group }))
              if (!created.id) throw new TargetUnavailable('Okta created a group without an id')
              id = created.id
              action = 'created'
            }
          }
          let revision: string | undefined
          if (doc.okta.groupId !== id || doc.okta.groupName !== name) {
            try {
              revision = (await sanityWriter().patch(doc._id).set({ 'okta.groupId': id, 'okta.groupName': name }).commit())._rev
            } catch (error) {
              throw new TargetUnavailable('Could not write the Okta group id back to Sanity', 30, error)
            }
          }
          return { applied: [`group ${name} (${id}) ${action}`], record: { okta: { groupId: id } }, ...(revision ? { revision } : {}) }
        },
        async remove(gone) {
          const id = gone.okta?.groupId
          if (!id) return { applied: [] }
          await client.groupApi.deleteGroup({ groupId: id }).catch((error: unknown) => {
            if (!isNotFound(error)) throw classifyTargetError('Okta (group delete)', error)
          })
          return { applied: [`group ${id} deleted`] }
        },
      }),
    },
  }
}
