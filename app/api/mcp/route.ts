import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { bearerAudience, bearerRefusal } from '@/lib/auth/bearer'
import { getConfig } from '@/lib/config'
import { withRouteErrors } from '@/lib/http/errors'
import { mcpBatchOf } from '@/lib/mcp/request'
import { mcpServerFor } from '@/lib/mcp/server'
import { limit, requesterOf, tooManyRequests } from '@/lib/ratelimit'

/**
 * The MCP server over Streamable HTTP, stateless: each request carries the reader's bearer token (an
 * access token of the configured IdP for this app), is verified on its own and served by a server bound
 * to that reader. No token, or one that is not valid: 401 with the protected-resource metadata URL.
 * Rate limited per reader: each request, and each tool call in it (a JSON-RPC batch is at most
 * MCP_MAX_BATCH messages, else 400 before any is run).
 */
async function handle(request: Request): Promise<Response> {
  const bearer = await bearerAudience(request)
  if (bearer.kind !== 'ok') return bearerRefusal(bearer, 'mcp')
  const requester = requesterOf(request.headers, bearer.audience)
  const perRequest = await limit('mcp', requester)
  if (!perRequest.allowed) return tooManyRequests(perRequest)
  let parsedBody: unknown
  if (request.method === 'POST') {
    const batch = await mcpBatchOf(request, getConfig().rateLimit.mcpMaxBatch)
    if (batch.kind === 'refused') return batch.response
    parsedBody = batch.body
    if (batch.toolCalls > 0) {
      const perCall = await limit('mcpToolCalls', requester, batch.toolCalls)
      if (!perCall.allowed) return tooManyRequests(perCall)
    }
  }
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  const server = mcpServerFor(bearer.audience)
  await server.connect(transport)
  try {
    const response = await transport.handleRequest(request, parsedBody === undefined ? undefined : { parsedBody })
    response.headers.set('cache-control', 'no-store')
    return response
  } finally {
    await server.close()
  }
}

export const GET = withRouteErrors('mcp', handle)
export const POST = withRouteErrors('mcp', handle)
export const DELETE = withRouteErrors('mcp', handle)
