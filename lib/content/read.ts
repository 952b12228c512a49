import 'server-only'
import type { AccessParams } from './access'
import { fromUpstream } from '@/lib/http/errors'
import { sanityClient } from './client'

/**
 * One reader query, straight from Sanity, with the access rule's parameters (never string-built into
 * the query). A Sanity that fails or times out is an UpstreamUnavailable (a 503, lib/http/errors.ts). The cached reader functions (./docs.ts, ./llms.ts) call it inside `'use cache'` with
 * `drafts` false; drafts and preview-as call it directly and nothing is kept (./cache.ts `cacheKeyOf`).
 */
export function queryAs<T = unknown>(params: AccessParams, drafts: boolean, query: string, extra: Record<string, unknown> = {}): Promise<T> {
  return fromUpstream('Sanity', () => sanityClient().fetch<T>(query, { ...params, ...extra }, { perspective: drafts ? 'drafts' : 'published' }))
}
