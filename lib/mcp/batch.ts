import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { DEFAULT_MAX_REQUEST_BODY_SIZE, readRequestBody } from '@modelcontextprotocol/sdk/server/requestBody.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'

// How many JSON-RPC messages one MCP request may carry. The SDK (1.32) takes batches of up to 100 and
// runs every call in them, and every tools/call is an audited event: one POST could write 100 events
// (issue #18: 55 requests, 5,500 events, 2.6 s). MCP 2025-06-18 dropped JSON-RPC batching and the
// SDK's own client never batches, so a small cap costs real clients nothing; it bounds what one
// request can make the trail (and the content lake) do, and a rate limit on requests bounds the rest.

/** The most messages (requests and notifications) one JSON-RPC batch may hold. */
export const MCP_MAX_BATCH = 10

/**
 * A 400 with a JSON-RPC "Invalid Request" error (-32600, id null, as for any refused batch) when
 * `request` is a POST whose body is a JSON array of more than `max` messages; otherwise null, and the
 * SDK answers as it would have (its own body-size, parse and validation errors included). The whole
 * batch is refused before any message runs, so an over-limit batch writes no audit event at all. Reads
 * a clone, bounded like the SDK's own read (4 MiB), so the transport still reads the body itself.
 */
export async function batchRefusal(request: Request, max: number = MCP_MAX_BATCH): Promise<Response | null> {
  if (request.method !== 'POST' || request.body === null) return null
  let parsed: unknown
  try {
    const body = await readRequestBody(request.clone(), DEFAULT_MAX_REQUEST_BODY_SIZE)
    if (body.tooLarge) return null
    parsed = JSON.parse(body.text)
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || parsed.length <= max) return null
  const error = { code: -32600, message: `Invalid Request: a batch may hold at most ${max} messages; this one holds ${parsed.length}` }
  return Response.json({ jsonrpc: '2.0', error, id: null }, { status: 400, headers: { 'cache-control': 'no-store' } })
}

/**
 * An McpServer that caps batches on the Streamable HTTP transport it is connected to: connect() wraps
 * that transport's handleRequest with batchRefusal, so the route (which connects, then hands the
 * request over) needs no change. Any other transport is refused: no path may skip the cap.
 */
export class BoundedMcpServer extends McpServer {
  override async connect(transport: Transport): Promise<void> {
    if (!(transport instanceof WebStandardStreamableHTTPServerTransport)) throw new Error('BoundedMcpServer serves Streamable HTTP only')
    const handle = transport.handleRequest.bind(transport)
    transport.handleRequest = async (request, options) => (await batchRefusal(request)) ?? handle(request, options)
    await super.connect(transport)
  }
}
