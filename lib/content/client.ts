import 'server-only'
import { createClient, type SanityClient } from 'next-sanity'
import { getConfig } from '@/lib/config'

let client: SanityClient | undefined

/**
 * The server-only Sanity client. It carries a read token (gated documents live in a private
 * dataset) and never uses the CDN, so access changes apply on the next request.
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
