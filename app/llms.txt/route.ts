import { requestAudience, bearerRefusal } from '@/lib/auth/bearer'
import { llmsIndex } from '@/lib/content/llms'
import { withRouteErrors } from '@/lib/http/errors'

/** /llms.txt for whoever asks: a browser session, a bearer token, or nobody (the public docs). */
export const GET = withRouteErrors(
  'llms',
  async (request: Request): Promise<Response> => {
    const audience = await requestAudience(request)
    if ('kind' in audience) return bearerRefusal(audience, 'docs')
    return new Response(await llmsIndex(audience), { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store' } })
  },
  'text',
)
