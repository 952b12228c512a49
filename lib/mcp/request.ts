// What an MCP POST asks for, read before the transport runs it: how many JSON-RPC messages (a batch
// is at most `maxBatch`) and how many of them are tool calls (each counts towards the reader's
// tool-call budget, lib/ratelimit). The transport is handed the parsed body, so it is read once.

/** An MCP request body larger than this is refused before it is parsed (the tools take short strings). */
export const MAX_MCP_BODY_BYTES = 256 * 1024

export type McpBatch = { kind: 'ok'; body: unknown; toolCalls: number } | { kind: 'refused'; response: Response }

const jsonRpcError = (status: number, code: number, message: string): Response =>
  Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status, headers: { 'cache-control': 'no-store' } })
const refusal = (status: number, code: number, message: string): McpBatch => ({ kind: 'refused', response: jsonRpcError(status, code, message) })

/**
 * The one rule for batch size (MCP_MAX_BATCH, lib/config): a JSON array of more than `max` messages is
 * a 400 with a JSON-RPC "Invalid Request" (-32600, id null), refused whole before any message runs —
 * so one request writes at most `max` audit events. Anything else is null (the SDK answers it).
 * Used by the route (below) and by the server's own transport guard (./batch.ts).
 */
export function batchSizeRefusal(body: unknown, max: number): Response | null {
  if (!Array.isArray(body) || body.length <= max) return null
  return jsonRpcError(400, -32600, `Invalid Request: a batch may hold at most ${max} messages; this one holds ${body.length}`)
}

export async function mcpBatchOf(request: Request, maxBatch: number): Promise<McpBatch> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > MAX_MCP_BODY_BYTES) return refusal(413, -32600, `Request body over ${MAX_MCP_BODY_BYTES} bytes`)
  const text = await request.text()
  if (Buffer.byteLength(text) > MAX_MCP_BODY_BYTES) return refusal(413, -32600, `Request body over ${MAX_MCP_BODY_BYTES} bytes`)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return refusal(400, -32700, 'Parse error: the body is not JSON')
  }
  const tooMany = batchSizeRefusal(body, maxBatch)
  if (tooMany) return { kind: 'refused', response: tooMany }
  const messages = Array.isArray(body) ? body : [body]
  const toolCalls = messages.filter((m) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'tools/call').length
  return { kind: 'ok', body, toolCalls }
}
