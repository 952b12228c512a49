import 'server-only'
import { createClient, type SanityClient } from 'next-sanity'
import { getConfig } from '@/lib/config'

let client: SanityClient | undefined

/**
 * A read waits at most this long for Sanity (connecting, and between bytes), and is retried once: an
 * unreachable Sanity costs a reader seconds, not the client's default five retries with back-off.
 * Invariant: callers pass no `cache`/`next` fetch options — with those the client switches to
 * `fetch`, which ignores `timeout` (verified: a 5 s stall was waited out).
 */
export const SANITY_TIMEOUT_MS = 2000
export const SANITY_MAX_RETRIES = 1

/**
 * The server-only Sanity client. It carries a read token (gated documents live in a private
 * dataset) and never uses the CDN: the app's own cache (./cache.ts) is expired by the content
 * webhook, which Sanity's CDN is not.
 */
export function sanityClient(): SanityClient {
  if (client) return client
  const { content } = getConfig()
  client = createClient({
    projectId: content.projectId,
    dataset: content.dataset,
    apiVersion: content.apiVersion,
    token: content.token,
    useCdn: false,
    perspective: 'published',
    timeout: SANITY_TIMEOUT_MS,
    maxRetries: SANITY_MAX_RETRIES,
    ...(content.apiHost ? { apiHost: content.apiHost, useProjectHostname: false } : {}),
  })
  return client
}

let writeClient: SanityClient | undefined

/**
 * A server-only client that may write, for sync write-backs (the Okta group id). Its token
 * (SANITY_API_WRITE_TOKEN, an Editor token) is never used to read content for readers.
 */
export function sanityWriteClient(): SanityClient {
  if (writeClient) return writeClient
  const { writeToken } = getConfig().content
  if (!writeToken) throw new Error('SANITY_API_WRITE_TOKEN is not set')
  writeClient = sanityClient().withConfig({ token: writeToken })
  return writeClient
}
