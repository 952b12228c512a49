import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { DEFAULT_MAX_REQUEST_BODY_SIZE, readRequestBody } from '@modelcontextprotocol/sdk/server/requestBody.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { getConfig, RATE_LIMIT_DEFAULTS } from '@/lib/config'
import { batchSizeRefusal } from './request'

// How many JSON-RPC messages one MCP request may carry. The SDK (1.32) takes batches of up to 100 and
// runs every call in them, and every tools/call is an audited event: one POST could write 100 events
// (issue #18: 55 requests, 5,500 events, 2.6 s). MCP 2025-06-18 dropped JSON-RPC batching and the
// SDK's own client never batches, so a small cap costs real clients nothing; it bounds what one
// request can make the trail (and the content lake) do, and a rate limit on requests bounds the rest.

/** The default of MCP_MAX_BATCH (lib/config): the most messages one JSON-RPC batch may hold. */
export const MCP_MAX_BATCH = RATE_LIMIT_DEFAULTS.mcpMaxBatch

/**
 * batchSizeRefusal (./request.ts) for a request whose body the SDK will read itself: reads a clone,
 * bounded like the SDK's own read (4 MiB), so the transport still reads the body. A POST whose body is
 * not a JSON array, or cannot be read, is null: the SDK answers it as it would have (its own
 * body-size, parse and validation errors included).
 */
export async function batchRefusal(request: Request, max: number = MCP_MAX_BATCH): Promise<Response | null> {
  if (request.method !== 'POST' || request.body === null || request.bodyUsed) return null
  let parsed: unknown
  try {
    const body = await readRequestBody(request.clone(), DEFAULT_MAX_REQUEST_BODY_SIZE)
    if (body.tooLarge) return null
    parsed = JSON.parse(body.text)
  } catch {
    return null
  }
  return batchSizeRefusal(parsed, max)
}

/**
 * An McpServer that caps batches on the Streamable HTTP transport it is connected to: connect() wraps
 * that transport's handleRequest, checking the body the route already parsed (`parsedBody`) or else
 * the request's own, so no caller can skip the cap. Any other transport is refused.
 */
export class BoundedMcpServer extends McpServer {
  override async connect(transport: Transport): Promise<void> {
    if (!(transport instanceof WebStandardStreamableHTTPServerTransport)) throw new Error('BoundedMcpServer serves Streamable HTTP only')
    const handle = transport.handleRequest.bind(transport)
    transport.handleRequest = async (request, options) => {
      const max = getConfig().rateLimit.mcpMaxBatch
      const refused = options?.parsedBody !== undefined ? batchSizeRefusal(options.parsedBody, max) : await batchRefusal(request, max)
      return refused ?? handle(request, options)
    }
    await super.connect(transport)
  }
}
