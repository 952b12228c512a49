import 'server-only'
import { sharedStore } from '@/lib/store'
import { keyHash } from './hash'

// Sessions the IdP holds (Descope, Clerk) end at the IdP, but a token already issued stays valid until
// it expires. Signing out records it here, on every instance, and getViewer() refuses it.

export type RevocationKind = 'descope-token' | 'clerk-session'

export async function revoke(kind: RevocationKind, id: string, ttlSeconds: number): Promise<void> {
  await sharedStore().set(`revoked:${kind}:${keyHash(id)}`, '1', { ttlSeconds: Math.max(60, ttlSeconds) })
}

export async function isRevoked(kind: RevocationKind, id: string): Promise<boolean> {
  return (await sharedStore().get(`revoked:${kind}:${keyHash(id)}`)) !== null
}
