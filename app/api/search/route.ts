import { getAudience } from '@/lib/auth/dal'
import { SEARCH_LIMIT, searchDocs } from '@/lib/content/search'

/**
 * GET /api/search?q=… — the ⌘K dialog's search: the current reader's results as JSON, never cached
 * (they are this reader's). The same function renders /search without JavaScript.
 */
export async function GET(request: Request): Promise<Response> {
  const q = new URL(request.url).searchParams.get('q') ?? ''
  const results = await searchDocs(await getAudience(), q)
  return Response.json({ results, limit: SEARCH_LIMIT }, { headers: { 'cache-control': 'private, no-store' } })
}
