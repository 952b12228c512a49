import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { expect, it, vi } from 'vitest'
import type { Audience } from '@/lib/auth/dal'
import { UpstreamUnavailable } from '@/lib/http/errors'

// The MCP tools answer their failures in fixed words: the SDK would put the error's own message (a
// host name, an address, the store's OOM text) into the tool result the client sees.

const failures = vi.hoisted(() => ({ search: null as unknown, read: null as unknown }))
vi.mock('@/lib/content/search', () => ({ searchDocs: async () => Promise.reject(failures.search) }))
vi.mock('@/lib/content/docs', () => ({ readDoc: async () => Promise.reject(failures.read), auditDocDecision: async () => {} }))
const { mcpServerFor } = await import('@/lib/mcp/server')

const audience = { viewer: null, isEditor: false, preview: null, drafts: false, reader: null } as unknown as Audience
const call = (id: number, name: string, args: Record<string, string>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } })

it('an upstream failure is "temporarily unavailable"; any other says nothing of itself', async () => {
  failures.search = new UpstreamUnavailable('Sanity is unavailable: getaddrinfo ENOTFOUND abc123xy.api.sanity.io')
  failures.read = new Error("Redis SET failed: OOM command not allowed when used memory > 'maxmemory' at 10.0.0.7:6379")
  const server = mcpServerFor(audience)
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  await server.connect(transport)
  try {
    const response = await transport.handleRequest(
      new Request('http://localhost/api/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify([call(1, 'search_docs', { query: 'billing' }), call(2, 'read_doc', { slug: 'getting-started' })]),
      }),
    )
    const text = await response.text()
    expect(text).not.toMatch(/ENOTFOUND|sanity\.io|OOM|10\.0\.0\.7|maxmemory/)
    const results = JSON.parse(text) as { id: number; result: { isError: boolean; content: { text: string }[] } }[]
    const byId = Object.fromEntries(results.map((r) => [r.id, r.result]))
    expect(byId[1]).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/temporarily unavailable/) }] })
    expect(byId[2]).toMatchObject({ isError: true, content: [{ text: 'The request could not be completed.' }] })
  } finally {
    await server.close()
  }
})
