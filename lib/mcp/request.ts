// What an MCP POST asks for, read before the transport runs it: how many JSON-RPC messages (a batch
// is at most `maxBatch`) and how many of them are tool calls (each counts towards the reader's
// tool-call budget, lib/ratelimit). The transport is handed the parsed body, so it is read once.

/** An MCP request body larger than this is refused before it is parsed (the tools take short strings). */
export const MAX_MCP_BODY_BYTES = 256 * 1024

export type McpBatch = { kind: 'ok'; body: unknown; toolCalls: number } | { kind: 'refused'; response: Response }

const refusal = (status: number, code: number, message: string): McpBatch => ({
  kind: 'refused',
  response: Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status, headers: { 'cache-control': 'no-store' } }),
})

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
  const messages = Array.isArray(body) ? body : [body]
  if (messages.length > maxBatch) return refusal(400, -32600, `A batch may hold at most ${maxBatch} messages`)
  const toolCalls = messages.filter((m) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'tools/call').length
  return { kind: 'ok', body, toolCalls }
}
