import { requestAudience, bearerRefusal } from '@/lib/auth/bearer'
import { llmsFull } from '@/lib/content/llms'

/** /llms-full.txt: every doc the requester may read, as Markdown. */
export async function GET(request: Request): Promise<Response> {
  const audience = await requestAudience(request)
  if ('kind' in audience) return bearerRefusal(audience, 'docs')
  return new Response(await llmsFull(audience), { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'private, no-store' } })
}
