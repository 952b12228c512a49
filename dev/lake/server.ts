// Local content lake: the part of Sanity's HTTP API that Gatehouse uses, served from an NDJSON file.
// Dev/test stand-in only; the app talks to it through the real @sanity/client (apiHost option).
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { evaluate, GroqSyntaxError, parse } from 'groq-js'
import { DocumentStore, isDocumentId, MutationError, type Mutation, type SanityDocument, type Transaction } from './store.ts'
import { FunctionDispatcher, type FunctionOptions } from './functions.ts'
import { WebhookDispatcher, type WebhookOptions } from './webhooks.ts'

export type LakeOptions = {
  port?: number
  dataFile: string
  seedFile?: string
  dataset?: string
  /** token → what it may do. Requests without a known token get 401 (private dataset). */
  tokens: Record<string, 'read' | 'write'>
  /**
   * Image files served as Sanity's image CDN serves assets: GET /images/<projectId>/<dataset>/<file>,
   * public (no token, as on cdn.sanity.io). Transform parameters are accepted and ignored.
   */
  assetsDir?: string
  /** GROQ-powered webhooks fired after each committed transaction. */
  webhooks?: Omit<WebhookOptions, 'dataset'>
  /** Sanity Functions (document events) run after each committed transaction (SYNC_RUNTIME=functions). */
  functions?: FunctionOptions
  /**
   * Added to every API request before it is answered (LOCAL_LAKE_LATENCY_MS), so benchmarks see what a
   * real Sanity round trip costs. Changeable at run time: `PUT /__lake/latency` (below).
   */
  latencyMs?: number
}

/** What the lake has answered since it started (or since `POST /__lake/stats/reset`): what benchmarks count. */
export type LakeStats = {
  queries: number
  docs: number
  mutations: number
  /** Time spent evaluating queries (GROQ only: no simulated latency, no HTTP), in ms. */
  queryMs: number
  /**
   * Queries by their `$slug` parameter (one page's reads), for tests that run beside others on the
   * same lake: what this page cost, whatever else was asked meanwhile. At most 10,000 slugs.
   */
  bySlug: Record<string, number>
}

export type Lake = {
  url: string
  store: DocumentStore
  server: Server
  webhooks?: WebhookDispatcher
  functions?: FunctionDispatcher
  stats: LakeStats
  close(): Promise<void>
}

const MAX_LATENCY_MS = 10_000
const latencyOf = (ms: unknown) => {
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_LATENCY_MS)
    throw new HttpError(400, { error: { description: `latency must be 0–${MAX_LATENCY_MS} ms`, type: 'badRequest' } })
  return ms
}

/** The documents as they were before a transaction: the current ones with its changes undone. */
function documentsBefore(after: SanityDocument[], tx: Transaction): SanityDocument[] {
  const changed = new Set(tx.changes.map((change) => change.id))
  return [...after.filter((doc) => !changed.has(doc._id)), ...tx.changes.flatMap((change) => (change.before ? [change.before] : []))]
}

type Perspective = 'published' | 'drafts' | 'raw'
const MAX_BODY_BYTES = 4 * 1024 * 1024
/** Since API v2025-02-19 the default perspective is `published`; before it, `raw`. */
const PUBLISHED_BY_DEFAULT_FROM = '2025-02-19'

class HttpError extends Error {
  readonly status: number
  readonly body: unknown
  constructor(status: number, body: unknown) {
    super(typeof body === 'string' ? body : JSON.stringify(body))
    this.status = status
    this.body = body
  }
}

const badRequest = (description: string, type = 'httpBadRequest', extra: Record<string, unknown> = {}) =>
  new HttpError(400, { error: { description, type, ...extra } })

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: { description: 'Request body too large', type: 'httpPayloadTooLarge' } })
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw badRequest('Request body is not valid JSON')
  }
}

/** Which documents a perspective sees. `drafts` overlays drafts on published docs, as Sanity does. */
export function documentsFor(docs: SanityDocument[], perspective: Perspective): SanityDocument[] {
  if (perspective === 'raw') return docs
  const published = docs.filter((doc) => !doc._id.startsWith('drafts.') && !doc._id.startsWith('versions.'))
  if (perspective === 'published') return published
  const merged = new Map(published.map((doc) => [doc._id, doc]))
  for (const draft of docs.filter((doc) => doc._id.startsWith('drafts.'))) {
    const id = draft._id.slice('drafts.'.length)
    merged.set(id, { ...draft, _id: id, _originalId: draft._id })
  }
  return [...merged.values()]
}

function perspectiveOf(value: string | null, apiVersion: string): Perspective {
  const requested = value ?? (apiVersion >= PUBLISHED_BY_DEFAULT_FROM ? 'published' : 'raw')
  if (requested === 'previewDrafts') return 'drafts'
  if (requested === 'published' || requested === 'drafts' || requested === 'raw') return requested
  throw badRequest(`Invalid perspective "${requested}"; expected published, drafts or raw`)
}

/** `$name=<JSON>` query-string parameters, exactly as @sanity/client encodes them. */
function paramsFromSearch(search: URLSearchParams): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const [key, raw] of search) {
    if (!key.startsWith('$')) continue
    try {
      params[key.slice(1)] = JSON.parse(raw)
    } catch {
      throw badRequest(`Unable to parse value of "${key}=${raw}". Please quote string values.`)
    }
  }
  return params
}

async function runQuery(docs: SanityDocument[], query: unknown, params: unknown): Promise<unknown> {
  if (typeof query !== 'string' || query.trim() === '') throw badRequest('The "query" parameter is required')
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw badRequest('"params" must be an object')
  let tree
  try {
    tree = parse(query, { params: params as Record<string, unknown> })
  } catch (error) {
    if (error instanceof GroqSyntaxError) {
      throw badRequest(error.message, 'queryParseError', { query, start: error.position, end: error.position + 1 })
    }
    throw badRequest((error as Error).message, 'queryParseError', { query })
  }
  try {
    const value = await evaluate(tree, { dataset: docs, params: params as Record<string, unknown> })
    return await value.get()
  } catch (error) {
    throw badRequest((error as Error).message, 'queryEvaluationError', { query })
  }
}

export async function startLake(options: LakeOptions): Promise<Lake> {
  const dataset = options.dataset ?? 'production'
  const store = await DocumentStore.open(options.dataFile, options.seedFile)
  const webhooks = options.webhooks ? new WebhookDispatcher({ ...options.webhooks, dataset }) : undefined
  const functions = options.functions ? new FunctionDispatcher(options.functions) : undefined

  const serveImage = async (pathname: string, req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/images\/[a-z0-9-]+\/([a-z0-9_-]+)\/([0-9a-f]{40}-\d+x\d+)\.(png|jpg|webp|gif)$/.exec(pathname)
    if (!match || match[1] !== dataset || !options.assetsDir) throw new HttpError(404, { error: { description: 'Image not found', type: 'notFound' } })
    const [, , name, extension] = match as unknown as [string, string, string, string]
    const bytes = await readFile(join(options.assetsDir, `${name}.${extension}`)).catch(() => null)
    if (!bytes) throw new HttpError(404, { error: { description: 'Image not found', type: 'notFound' } })
    const type = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' }[extension]
    res.writeHead(200, { 'content-type': type, 'content-length': bytes.length, 'cache-control': 'public, max-age=31536000, immutable' })
    res.end(req.method === 'HEAD' ? undefined : bytes)
  }

  const authorize = (req: IncomingMessage, need: 'read' | 'write') => {
    const header = req.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
    const grant = Object.hasOwn(options.tokens, token) ? options.tokens[token] : undefined
    if (!grant) throw new HttpError(401, { statusCode: 401, error: 'Unauthorized', message: 'Session not found' })
    if (need === 'write' && grant !== 'write') {
      throw new HttpError(403, { error: { description: 'Insufficient permissions; permission "update" required', type: 'insufficientPermissionsError' } })
    }
  }

  // bySlug has no prototype: a slug such as "__proto__" is a count like any other.
  const noSlugs = () => Object.create(null) as Record<string, number>
  const stats: LakeStats = { queries: 0, docs: 0, mutations: 0, queryMs: 0, bySlug: noSlugs() }
  let latencyMs = options.latencyMs === undefined ? 0 : latencyOf(options.latencyMs)

  /**
   * The stand-in's own controls (not Sanity's API; the write token guards them): request counts, and
   * the simulated round trip, so one benchmark run can compare 0 and 50 ms without restarting.
   */
  const control = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    authorize(req, 'write')
    if (path === '/__lake/stats' && req.method === 'GET') return send(res, 200, { ...stats, latencyMs })
    if (path === '/__lake/stats/reset' && req.method === 'POST') {
      Object.assign(stats, { queries: 0, docs: 0, mutations: 0, queryMs: 0, bySlug: noSlugs() })
      return send(res, 200, stats)
    }
    if (path === '/__lake/latency' && req.method === 'PUT') {
      latencyMs = latencyOf(((await readJson(req)) as { ms?: unknown } | null)?.ms)
      return send(res, 200, { latencyMs })
    }
    throw new HttpError(404, { error: { description: `No route for ${req.method} ${path}`, type: 'notFound' } })
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://lake.local')
    if (url.pathname === '/health') return send(res, 200, { ok: true })
    if (url.pathname.startsWith('/__lake/')) return control(req, res, url.pathname)
    if (url.pathname.startsWith('/images/') && (req.method === 'GET' || req.method === 'HEAD')) return serveImage(url.pathname, req, res)
    const route = /^\/v(\d{4}-\d{2}-\d{2}|1|X)\/data\/(query|mutate|doc)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname)
    if (!route) throw new HttpError(404, { error: { description: `No route for ${req.method} ${url.pathname}`, type: 'notFound' } })
    const [, apiVersion, action, requestedDataset, rest] = route as unknown as [string, string, string, string, string | undefined]
    authorize(req, action === 'mutate' ? 'write' : 'read')
    if (requestedDataset !== dataset) {
      throw new HttpError(404, { error: { description: `Dataset "${requestedDataset}" not found`, type: 'datasetNotFoundError' } })
    }
    if (action === 'query') stats.queries++
    else if (action === 'doc') stats.docs++
    else stats.mutations++
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))
    const started = performance.now()

    if (action === 'query' && rest === undefined && (req.method === 'GET' || req.method === 'POST')) {
      const body = req.method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : undefined
      const query = body ? body.query : url.searchParams.get('query')
      const params = body ? (body.params ?? {}) : paramsFromSearch(url.searchParams)
      const perspective = perspectiveOf((body?.perspective as string | undefined) ?? url.searchParams.get('perspective'), apiVersion)
      const slug = (params as { slug?: unknown }).slug
      if (typeof slug === 'string' && (Object.hasOwn(stats.bySlug, slug) || Object.keys(stats.bySlug).length < 10_000))
        stats.bySlug[slug] = (stats.bySlug[slug] ?? 0) + 1
      const result = await runQuery(documentsFor(store.all(), perspective), query, params)
      stats.queryMs += performance.now() - started
      const ms = Math.round(performance.now() - started)
      return send(res, 200, url.searchParams.get('returnQuery') === 'false' ? { result, ms } : { query, result, ms })
    }

    if (action === 'doc' && rest !== undefined && req.method === 'GET') {
      const ids = decodeURIComponent(rest).split(',')
      if (!ids.every(isDocumentId)) throw badRequest('Invalid document ID')
      const found = ids.map((id) => store.get(id))
      return send(res, 200, {
        documents: found.filter((doc) => doc !== undefined),
        omitted: ids.filter((_, i) => found[i] === undefined).map((id) => ({ id, reason: 'existence' })),
      })
    }

    if (action === 'mutate' && rest === undefined && req.method === 'POST') {
      const body = (await readJson(req)) as { mutations?: unknown }
      if (!Array.isArray(body?.mutations) || body.mutations.length === 0) {
        throw badRequest('Request body must be {"mutations": [...]} with at least one mutation', 'mutationError')
      }
      const dryRun = url.searchParams.get('dryRun') === 'true'
      const tx = await store.mutate(body.mutations as Mutation[], { dryRun })
      if (webhooks && !dryRun && tx.changes.length > 0) {
        const after = store.all()
        void webhooks.dispatch(tx, documentsBefore(after, tx), after).catch((error: unknown) => console.error('[lake] webhook dispatch failed', error))
      }
      if (functions && !dryRun && tx.changes.length > 0) {
        void functions.dispatch(tx).catch((error: unknown) => console.error('[lake] function dispatch failed', error))
      }
      const returnDocuments = url.searchParams.get('returnDocuments') === 'true'
      const after = new Map(tx.changes.map((change) => [change.id, change.after]))
      return send(res, 200, {
        transactionId: tx.transactionId,
        results: tx.results.map((result) => (returnDocuments ? { ...result, document: after.get(result.id) ?? store.get(result.id) } : result)),
        ...(url.searchParams.get('returnIds') === 'true' ? { documentIds: tx.results.map((r) => r.id) } : {}),
      })
    }

    throw new HttpError(405, { error: { description: `${req.method} not allowed on ${url.pathname}`, type: 'methodNotAllowed' } })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) return send(res, error.status, error.body)
      if (error instanceof MutationError) {
        return send(res, error.status, { error: { description: error.message, type: error.type, ...(error.id ? { id: error.id } : {}) } })
      }
      console.error('[lake] internal error', error)
      send(res, 500, { error: { description: 'Internal error', type: 'internalError' } })
    })
  })
  // Keep idle connections longer than any client does (Node's default is 5 s): a client that reuses a socket
  // the server is closing at that instant gets ECONNRESET — seen as a flaky test, not a product failure.
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}`,
    store,
    server,
    webhooks,
    functions,
    stats,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
