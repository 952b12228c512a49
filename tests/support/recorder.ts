// A management-API recorder for contract tests: records every request the real SDKs send and answers
// with what the test scripted (status, JSON body, or a hang past the client's timeout).
import { createServer, type Server } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'

export type RecordedCall = {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: unknown
}
export type Reply = { status?: number; body?: unknown; headers?: Record<string, string>; hang?: boolean; delayMs?: number }
type Route = (call: RecordedCall) => Reply | undefined

export type Recorder = {
  url: string
  calls: RecordedCall[]
  /** Answers matching requests; later routes win. A route returning undefined passes. */
  on(method: string, path: string | RegExp, reply: Reply | Route): void
  /** Every request fails this way until cleared (faults). */
  fail(reply: Reply | null): void
  reset(): void
  close(): Promise<void>
}

/** `tls`: serve https (for SDKs that only speak https, e.g. Auth0's ManagementClient). */
export async function startRecorder(options: { tls?: { key: string; cert: string } } = {}): Promise<Recorder> {
  const calls: RecordedCall[] = []
  let routes: { method: string; path: string | RegExp; reply: Reply | Route }[] = []
  let failure: Reply | null = null
  const hanging = new Set<() => void>()

  const handler = async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://recorder')
    let body: unknown = text
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      /* keep the raw text */
    }
    const call: RecordedCall = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body }
    calls.push(call)
    const matching = [...routes].reverse().find((r) => r.method === call.method && (typeof r.path === 'string' ? r.path === call.path : r.path.test(call.path)))
    const reply: Reply = failure ??
      (matching ? (typeof matching.reply === 'function' ? matching.reply(call) : matching.reply) : undefined) ?? { status: 200, body: {} }
    if (reply.hang) {
      await new Promise<void>((resolve) => {
        hanging.add(resolve)
        res.on('close', () => resolve())
      })
      return
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs))
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body))
  }
  const server: Server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${options.tls ? 'https' : 'http'}://localhost:${port}`,
    calls,
    on: (method, path, reply) => void routes.push({ method, path, reply }),
    fail: (reply) => {
      failure = reply
      if (!reply) for (const release of hanging) release()
    },
    reset: () => {
      calls.length = 0
      routes = []
      failure = null
    },
    close: () => {
      for (const release of hanging) release()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
