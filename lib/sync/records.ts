import { log } from '@/lib/log'
import { sharedStore } from '@/lib/store'
import { TargetUnavailable } from './errors'
import { stable, type SyncedRecord } from './pipeline'

// What each sync target last synced for a document, kept in the shared store: all a delete may revoke
// (a delete's payload is never trusted). Written by the pipeline after each apply (lib/sync/handle.ts).

/** Long enough to outlive any document's life in practice; bounded so nothing is kept forever. */
export const SYNCED_RECORD_SECONDS = 400 * 86400

export const syncedRecordKey = (target: string, documentId: string) => `synced:${target}:${documentId}`

const unavailable = (error: unknown) => new TargetUnavailable('The shared store is unavailable', 5, error)

/** The webhook runtime's memory of what a target synced for a document, in the shared store. */
export function storedRecord(target: string, documentId: string): SyncedRecord {
  const store = sharedStore()
  const key = syncedRecordKey(target, documentId)
  return {
    async previous() {
      const value = await store.get(key).catch((error: unknown) => {
        throw unavailable(error)
      })
      if (value === null) return null
      try {
        return JSON.parse(value) as unknown
      } catch {
        log.warn('sync.record_unreadable', { key })
        return null
      }
    },
    async remember(record) {
      await store.set(key, stable(record), { ttlSeconds: SYNCED_RECORD_SECONDS }).catch((error: unknown) => {
        throw unavailable(error)
      })
    },
    async forget() {
      await store.delete(key).catch((error: unknown) => {
        throw unavailable(error)
      })
    },
  }
}

/**
 * The data-access layer met a member through their profile before any webhook named them (a profile
 * published before this deployment, a restarted in-process store): remember the user id under the
 * `access` target's record, so deleting that profile still revokes them. Never overrides what a
 * webhook recorded.
 */
export async function rememberProfileMember(profileId: string, provider: string, subject: string): Promise<void> {
  const store = sharedStore()
  const key = syncedRecordKey('access', profileId)
  let loginIds: Record<string, unknown> = {}
  try {
    const current = JSON.parse((await store.get(key)) ?? '{}') as { loginIds?: Record<string, unknown> }
    loginIds = current.loginIds ?? {}
  } catch {
    loginIds = {}
  }
  if (provider in loginIds) return
  await store.set(key, JSON.stringify({ loginIds: { ...loginIds, [provider]: subject } }), { ttlSeconds: SYNCED_RECORD_SECONDS })
}
