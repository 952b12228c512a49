import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { bearerAudience, bearerRefusal } from '@/lib/auth/bearer'
import { mcpServerFor } from '@/lib/mcp/server'

/**
 * The MCP server over Streamable HTTP, stateless: each request carries the reader's bearer token (an
 * access token of the configured IdP for this app), is verified on its own and served by a server bound
 * to that reader. No token, or one that is not valid: 401 with the protected-resource metadata URL.
 */
async function handle(request: Request): Promise<Response> {
  const bearer = await bearerAudience(request)
  if (bearer.kind !== 'ok') return bearerRefusal(bearer, 'mcp')
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  const server = mcpServerFor(bearer.audience)
  await server.connect(transport)
  try {
    const response = await transport.handleRequest(request)
    response.headers.set('cache-control', 'no-store')
    return response
  } finally {
    await server.close()
  }
}

export const GET = handle
export const POST = handle
export const DELETE = handle
