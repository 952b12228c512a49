import 'server-only'
import { createClient, type SanityClient } from '@sanity/client'
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
