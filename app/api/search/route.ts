import { getAudience } from '@/lib/auth/dal'
import { SEARCH_LIMIT, searchDocs } from '@/lib/content/search'
import { withRouteErrors } from '@/lib/http/errors'
import { limit, requesterOf, tooManyRequests } from '@/lib/ratelimit'

/**
 * GET /api/search?q=… — the ⌘K dialog's search: the current reader's results as JSON, never cached
 * (they are this reader's). The same function renders /search without JavaScript. Rate limited per
 * reader or client (429); Sanity not answering in time is a 503 (lib/http/errors.ts).
 */
export const GET = withRouteErrors('search', async (request: Request): Promise<Response> => {
  const audience = await getAudience()
  const verdict = await limit('search', requesterOf(request.headers, audience))
  if (!verdict.allowed) return tooManyRequests(verdict)
  const q = new URL(request.url).searchParams.get('q') ?? ''
  const results = await searchDocs(audience, q)
  return Response.json({ results, limit: SEARCH_LIMIT }, { headers: { 'cache-control': 'private, no-store' } })
})
