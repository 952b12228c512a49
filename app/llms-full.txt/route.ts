import { requestAudience, bearerRefusal } from '@/lib/auth/bearer'
import { llmsFull } from '@/lib/content/llms'
import { withRouteErrors } from '@/lib/http/errors'
import { limit, requesterOf, tooManyRequests } from '@/lib/ratelimit'

/** /llms-full.txt: every doc the requester may read, as Markdown. The heaviest read: rate limited per reader or client. */
export const GET = withRouteErrors(
  'llms-full',
  async (request: Request): Promise<Response> => {
    const audience = await requestAudience(request)
    if ('kind' in audience) return bearerRefusal(audience, 'docs')
    const verdict = await limit('llmsFull', requesterOf(request.headers, audience))
    if (!verdict.allowed) return tooManyRequests(verdict, 'text')
    return new Response(await llmsFull(audience), { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store' } })
  },
  'text',
)
