import { requestAudience, bearerRefusal } from '@/lib/auth/bearer'
import { getConfig } from '@/lib/config'
import { auditDocDecision, readDoc } from '@/lib/content/docs'
import { docToMarkdown, teaserToMarkdown } from '@/lib/content/markdown'
import { redirectResponse, withRouteErrors } from '@/lib/http/errors'
import { countNotFound, limit, requesterOf, tooManyRequests } from '@/lib/ratelimit'

const markdown = (body: string, status: number) =>
  new Response(body, { status, headers: { 'content-type': 'text/markdown; charset=utf-8', 'cache-control': 'private, no-store' } })

/**
 * /docs/<slug>.md (rewritten here by next.config.ts): a doc as Markdown, with the page's rules — the
 * doc (200), its teaser and what is missing (403), sign in first (307, never stored), or 404 for
 * hidden and missing docs alike (counted alike towards the client's 404 budget, which proxy.ts
 * enforces). Rate limited per reader or client.
 */
export const GET = withRouteErrors(
  'md',
  async (request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> => {
    const { slug } = await params
    const audience = await requestAudience(request)
    if ('kind' in audience) return bearerRefusal(audience, 'docs')
    const verdict = await limit('md', requesterOf(request.headers, audience))
    if (!verdict.allowed) return tooManyRequests(verdict, 'text')
    const decision = await readDoc(audience, slug)
    await auditDocDecision(slug, decision, audience, 'md')
    const { appBaseUrl } = getConfig()
    switch (decision.kind) {
      case 'read':
        return markdown(docToMarkdown(decision.doc, appBaseUrl), 200)
      case 'forbidden':
        return markdown(teaserToMarkdown(decision.doc, decision.missing, appBaseUrl), 403)
      case 'signIn':
        return redirectResponse(`${appBaseUrl}/sign-in?returnTo=${encodeURIComponent(`/docs/${slug}.md`)}`, 307)
      case 'notFound':
        await countNotFound(request.headers)
        return markdown('# Not found\n\nThere is no document at this address, or it is not available to you.\n', 404)
    }
  },
  'text',
)
