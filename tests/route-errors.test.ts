import { createServer, type Server } from 'node:http'
import { createClient } from '@sanity/client'
import { redirect } from 'next/navigation'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorResponse, fromUpstream, isUpstreamFailure, redirectResponse, UPSTREAM_DIGEST, UpstreamUnavailable, withRouteErrors } from '@/lib/http/errors'
import { mcpBatchOf, MAX_MCP_BODY_BYTES } from '@/lib/mcp/request'
import { StoreUnavailable } from '@/lib/store/types'

// How route handlers fail (lib/http/errors.ts): an upstream that fails or stalls is a 503 with
// Retry-After, a bug a 500, both no-store. The upstream errors here are the real ones: @sanity/client
// against a local server that stalls, answers 5xx or 4xx, or is not there.

let server: Server
let base = ''
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.includes('stall')) return // never answers
    const status = req.url?.includes('five') ? 503 : 400
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { description: 'nope', type: 'x' } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

const sanity = (dataset: string, apiHost = base) =>
  createClient({ projectId: 'local', dataset, apiVersion: '2025-02-19', apiHost, useProjectHostname: false, useCdn: false, timeout: 300, maxRetries: 0 })
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  )

describe('isUpstreamFailure', () => {
  it('is true for Sanity timing out, answering 5xx, or not being there', async () => {
    expect(isUpstreamFailure(await failureOf(sanity('stall').fetch('*')))).toBe(true)
    expect(isUpstreamFailure(await failureOf(sanity('five').fetch('*')))).toBe(true)
    expect(isUpstreamFailure(await failureOf(sanity('x', 'http://127.0.0.1:1').fetch('*')))).toBe(true)
    expect(isUpstreamFailure(await failureOf(fetch('http://127.0.0.1:1/')))).toBe(true)
    expect(isUpstreamFailure(new StoreUnavailable('Redis GET failed: timed out'))).toBe(true)
  })

  it('is false for a 4xx from Sanity (our query or token) and for bugs', async () => {
    expect(isUpstreamFailure(await failureOf(sanity('four').fetch('*')))).toBe(false)
    expect(isUpstreamFailure(new TypeError("Cannot read properties of undefined (reading 'slug')"))).toBe(false)
    expect(isUpstreamFailure('a string')).toBe(false)
    expect(isUpstreamFailure(null)).toBe(false)
  })

  it('recognises an upstream failure after a cache boundary kept only its digest', async () => {
    const thrown = await failureOf(fromUpstream('Sanity', () => sanity('stall').fetch('*')))
    expect(thrown).toBeInstanceOf(UpstreamUnavailable)
    // What production hands the caller of a 'use cache' function: an anonymous error with the digest.
    const obfuscated = Object.assign(new Error('An error occurred in the Server Components render.'), { digest: (thrown as UpstreamUnavailable).digest })
    expect(obfuscated.digest).toBe(UPSTREAM_DIGEST)
    expect(isUpstreamFailure(obfuscated)).toBe(true)
    // A bug passes through fromUpstream unchanged.
    const bug = new RangeError('bug')
    expect(await failureOf(fromUpstream('Sanity', () => Promise.reject(bug)))).toBe(bug)
  })
})

describe('route handlers', () => {
  it('an upstream failure is a 503 with Retry-After and no-store, in the surface’s format', async () => {
    const route = withRouteErrors('t', () => sanity('stall').fetch('*') as Promise<Response>)
    const response = await route()
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' })
    const text = errorResponse(new StoreUnavailable('down'), 'text')
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await text.text()).toMatch(/did not answer in time/)
  })

  it('a bug stays a 500, still no-store, and says nothing of the error', async () => {
    const response = await withRouteErrors('t', async (): Promise<Response> => {
      throw new Error('secret detail')
    })()
    expect(response.status).toBe(500)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('retry-after')).toBeNull()
    expect(await response.text()).not.toContain('secret detail')
  })

  it('Next’s own control flow passes through', async () => {
    const route = withRouteErrors('t', async (): Promise<Response> => redirect('/elsewhere'))
    await expect(route()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT/) })
  })

  it('a redirect is never stored', () => {
    const response = redirectResponse('http://localhost:3000/sign-in?returnTo=%2Fdocs%2Fx.md')
    expect(response.status).toBe(307)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('location')).toBe('http://localhost:3000/sign-in?returnTo=%2Fdocs%2Fx.md')
  })
})

describe('MCP request bodies', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request('http://localhost/api/mcp', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })
  const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search_docs', arguments: { query: 'x' } } })

  it('counts the tool calls of a batch, and refuses a batch over the cap before any runs', async () => {
    const ok = await mcpBatchOf(post(JSON.stringify([call(1), call(2), { jsonrpc: '2.0', id: 3, method: 'tools/list' }])), 20)
    expect(ok).toMatchObject({ kind: 'ok', toolCalls: 2 })
    const single = await mcpBatchOf(post(JSON.stringify(call(1))), 20)
    expect(single).toMatchObject({ kind: 'ok', toolCalls: 1 })
    const big = await mcpBatchOf(post(JSON.stringify(Array.from({ length: 100 }, (_, i) => call(i)))), 20)
    expect(big.kind).toBe('refused')
    if (big.kind !== 'refused') return
    expect(big.response.status).toBe(400)
    expect(big.response.headers.get('cache-control')).toBe('no-store')
    expect(await big.response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 }, id: null })
  })

  it('refuses bodies that are not JSON or too large', async () => {
    expect(await mcpBatchOf(post('{not json'), 20)).toMatchObject({ kind: 'refused' })
    const huge = await mcpBatchOf(post(JSON.stringify({ x: 'a'.repeat(MAX_MCP_BODY_BYTES) })), 20)
    expect(huge.kind === 'refused' && huge.response.status).toBe(413)
    // A lying content-length is refused before the body is read.
    const declared = await mcpBatchOf(post('{}', { 'content-length': String(MAX_MCP_BODY_BYTES * 10) }), 20)
    expect(declared.kind === 'refused' && declared.response.status).toBe(413)
  })
})
