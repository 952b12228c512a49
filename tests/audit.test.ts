import { createHash } from 'node:crypto'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { NO_GRANTS } from '@/lib/access/dimensions'
import { auditAccess, auditAccessOf } from '@/lib/audit/access'
import { auditEventSchema, MAX_SUBJECT_LENGTH, toEvent, type AuditEvent, type AuditInput } from '@/lib/audit/event'
import { auditHref, parseAuditQuery, type AuditFilters, type SearchParams } from '@/lib/audit/filters'
import { recordDecision, whoOf } from '@/lib/audit/index'
import { queryHash, readerHash } from '@/lib/audit/query-hash'
import { fairRead, readEvents } from '@/lib/audit/read'
import {
  AUDIT_READER_INDEX_KEY,
  AUDIT_SIGNED_OUT_LIST_KEY,
  INDEX_REFRESH_SECONDS,
  LEGACY_LIST_KEYS,
  readerListKey,
  stdoutSink,
  storeSink,
  type AuditSink,
} from '@/lib/audit/sinks'
import { BoundedMcpServer, batchRefusal, MCP_MAX_BATCH } from '@/lib/mcp/batch'
import type { Audience } from '@/lib/auth/dal'
import type { Viewer } from '@/lib/auth/viewer'
import { log } from '@/lib/log'
import { MemoryStore } from '@/lib/store/memory'
import { RedisStore } from '@/lib/store/redis'
import { StoreUnavailable, type SharedStore } from '@/lib/store/types'
import { startRedisServer, type RedisServer } from './support/redis-server'

// The access-decision audit trail (lib/audit): what an event may hold, how the /audit page's query is
// read, how the trail is read back, and that recording a decision never fails or holds a request.

const mocked = vi.hoisted(() => ({
  config: {
    session: { secret: 'audit-test-secret-that-is-at-least-32-characters' },
    editorRole: 'editor',
    audit: { sinks: ['store'], maxEvents: 100, maxEventsPerReader: 100, retentionDays: 7 },
    rateLimit: { mcpMaxBatch: 10 },
  },
  audience: null as unknown,
  store: null as unknown,
}))
vi.mock('@/lib/config', async (original) => ({ ...(await original<object>()), getConfig: () => mocked.config }))
vi.mock('@/lib/auth/dal', () => ({ getAudience: async () => mocked.audience }))
vi.mock('@/lib/store', () => ({ sharedStore: () => mocked.store }))

afterEach(() => {
  vi.restoreAllMocks()
})

const AT = new Date('2025-06-01T12:00:00.000Z')
const HASH = 'ab'.repeat(16)

function input(overrides: Partial<AuditInput> = {}): AuditInput {
  return { who: { subject: 'auth0|64f1c2', provider: 'auth0' }, what: { docId: 'doc-1', slug: 'getting-started' }, decision: 'read', via: 'web', ...overrides }
}

function event(overrides: Partial<AuditInput> = {}, at = AT): AuditEvent {
  const built = toEvent(input(overrides), at)
  if (!built) throw new Error('fixture is not a valid event')
  return built
}

function viewer(subject: string, roles: string[]): Viewer {
  return {
    ...NO_GRANTS,
    roles,
    subject,
    email: `${subject}@example.com`,
    name: 'Alice Liddell',
    provider: 'okta',
    access: { source: 'profile', reason: null, changedAt: null },
  }
}

describe('toEvent', () => {
  it('keeps only allow-listed fields: nothing else a caller passes is recorded', () => {
    const hostile = {
      who: { subject: 'alice', provider: 'okta', previewing: 'an audience', email: 'alice@example.com', name: 'Alice Liddell', token: 'eyJhbGciOi.secret' },
      what: {
        docId: 'doc-1',
        slug: 'getting-started',
        queryHash: HASH,
        results: 3,
        title: 'Merger plans 2026',
        body: 'TOP SECRET BODY TEXT',
        excerpt: 'confidential excerpt',
        query: 'raw search words',
      },
      decision: 'forbidden',
      failed: ['role'],
      via: 'web',
      at: '1999-01-01T00:00:00.000Z',
      title: 'Merger plans 2026',
      token: 'eyJhbGciOi.secret',
      email: 'alice@example.com',
      headers: { cookie: 'gatehouse_session=abc123' },
    } as unknown as AuditInput
    const built = toEvent(hostile, AT)
    expect(built).toEqual({
      at: AT.toISOString(),
      who: { subject: 'alice', provider: 'okta', previewing: 'an audience' },
      what: { docId: 'doc-1', slug: 'getting-started', queryHash: HASH, results: 3 },
      decision: 'forbidden',
      failed: ['role'],
      via: 'web',
    })
    const json = JSON.stringify(built)
    for (const leaked of [
      'Merger',
      'TOP SECRET',
      'confidential',
      'raw search',
      'eyJhbGciOi',
      'example.com',
      'Liddell',
      'gatehouse_session',
      '1999',
      'title',
      'body',
      'token',
      'email',
    ]) {
      expect(json, leaked).not.toContain(leaked)
    }
  })

  it('takes the time it is given, never one the caller passes', () => {
    const built = toEvent({ ...input(), at: 'forged' } as unknown as AuditInput, AT)
    expect(built?.at).toBe('2025-06-01T12:00:00.000Z')
  })

  it('drops a slug that is not a slug (path traversal, oversized, unicode, markup)', () => {
    const notSlugs = [
      '../../etc/passwd',
      '..%2F..%2Fetc',
      'a'.repeat(97),
      'a'.repeat(200),
      'ünïcödé',
      'getting‐started', // U+2010 hyphen
      '</script><script>alert(1)</script>',
      'Getting-Started',
      '-leading-dash',
      'with space',
      'a/b',
      'getting-started\n',
      'getting-started\u0000',
      '',
    ]
    for (const slug of notSlugs) {
      const built = event({ what: { slug } })
      expect(built.what, JSON.stringify(slug)).toEqual({})
    }
    expect(event({ what: { slug: 'a'.repeat(96) } }).what.slug).toBe('a'.repeat(96))
    expect(event({ what: { slug: 'events-api-v2' } }).what.slug).toBe('events-api-v2')
  })

  it('keeps a docId only when it looks like a Sanity document id', () => {
    for (const docId of ['doc-1', 'drafts.runbook_TEMPLATE-2', 'A', 'a'.repeat(128)]) expect(event({ what: { docId } }).what.docId).toBe(docId)
    for (const docId of ['../doc', '.hidden', '-x', 'a'.repeat(129), 'a/b', 'a b', 'dóc', '<b>', '', 'doc\n']) {
      expect(event({ what: { docId } }).what.docId, JSON.stringify(docId)).toBeUndefined()
    }
  })

  it('keeps a query hash only when it is lowercase hex, and results only when a count', () => {
    expect(event({ what: { queryHash: HASH } }).what.queryHash).toBe(HASH)
    for (const queryHash of ['AB'.repeat(16), 'abc', 'zz'.repeat(16), 'a'.repeat(65), 'billing api']) {
      expect(event({ what: { queryHash } }).what.queryHash, queryHash).toBeUndefined()
    }
    for (const results of [0, 3, 5000]) expect(event({ what: { results } }).what.results).toBe(results)
    for (const results of [-1, 1.5, NaN, Infinity, 2 ** 53, '3'] as number[]) {
      expect(event({ what: { results } }).what.results, String(results)).toBeUndefined()
    }
  })

  it('cuts a subject over MAX_SUBJECT_LENGTH, and makes an empty or non-string one null', () => {
    expect(event({ who: { subject: 'x'.repeat(10_000), provider: 'okta' } }).who.subject).toBe('x'.repeat(MAX_SUBJECT_LENGTH))
    expect(event({ who: { subject: 'y'.repeat(MAX_SUBJECT_LENGTH), provider: 'okta' } }).who.subject).toBe('y'.repeat(MAX_SUBJECT_LENGTH))
    expect(event({ who: { subject: '', provider: 'okta' } }).who.subject).toBeNull()
    expect(event({ who: { subject: null, provider: null } }).who).toEqual({ subject: null, provider: null })
    for (const subject of [42, { toString: () => 'alice' }, ['alice']]) {
      expect(event({ who: { subject, provider: 'okta' } as unknown as AuditInput['who'] }).who.subject).toBeNull()
    }
  })

  it('never cuts a subject in half a character: the cut one is well-formed and round-trips through a link', () => {
    const subject = 'a'.repeat(MAX_SUBJECT_LENGTH - 1) + '🦆🦆'
    const cut = event({ who: { subject, provider: 'okta' } }).who.subject!
    expect(cut.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH)
    expect(cut.isWellFormed()).toBe(true)
    expect(subject.startsWith(cut)).toBe(true)
    expect(auditEventSchema.safeParse(event({ who: { subject, provider: 'okta' } })).success).toBe(true)
    expect(parseAuditQuery(paramsOf(auditHref({ reader: cut }))).filters.reader).toBe(cut)
    // A lone surrogate anywhere else (JSON claims may carry one) is made well-formed too.
    const lone = event({ who: { subject: 'user_\uD800x\uDC00', provider: 'okta' } }).who.subject!
    expect(lone.isWellFormed()).toBe(true)
    expect(parseAuditQuery(paramsOf(auditHref({ reader: lone }))).filters.reader).toBe(lone)
  })

  it('keeps only known providers and previewing summaries', () => {
    for (const provider of ['local', 'oidc', 'okta', 'descope', 'clerk', 'auth0'])
      expect(event({ who: { subject: 's', provider } }).who.provider).toBe(provider)
    for (const provider of ['evil', 'AUTH0', '__proto__', 'toString', '', 'okta '])
      expect(event({ who: { subject: 's', provider } }).who.provider, provider).toBeNull()
    expect(event({ who: { subject: 's', provider: 'okta', previewing: 'signed out' } }).who.previewing).toBe('signed out')
    for (const previewing of ['role:admin tenant:acme', 'bob@example.com', 'An audience']) {
      expect(event({ who: { subject: 's', provider: 'okta', previewing } }).who).not.toHaveProperty('previewing')
    }
  })

  it('keeps only dimension names among the failed clauses, each once', () => {
    const failed = ['role', 'plan', 'role', 'password', '<script>', 42, null, 'plan', 'ROLE'] as unknown as string[]
    expect(event({ decision: 'forbidden', failed }).failed).toEqual(['role', 'plan'])
    expect(event({ decision: 'forbidden', failed: ['audience', 'role', 'tenant', 'plan', 'region'] }).failed).toEqual([
      'audience',
      'role',
      'tenant',
      'plan',
      'region',
    ])
    expect(event({ decision: 'forbidden', failed: 'role' as unknown as string[] })).not.toHaveProperty('failed')
    expect(event()).not.toHaveProperty('failed')
  })

  it('makes no event of an unknown decision or via', () => {
    for (const decision of ['admin', 'READ', '', '__proto__', 'toString', undefined]) {
      expect(toEvent(input({ decision: decision as AuditInput['decision'] }), AT), String(decision)).toBeNull()
    }
    for (const via of ['ftp', 'WEB', '', 'constructor', undefined]) expect(toEvent(input({ via: via as AuditInput['via'] }), AT), String(via)).toBeNull()
  })
})

describe('auditEventSchema', () => {
  it('accepts what toEvent builds, after a round trip through JSON', () => {
    const events = [
      event(),
      event({ who: { subject: null, provider: null }, what: { slug: 'missing-page' }, decision: 'notFound', via: 'md' }),
      event({ decision: 'forbidden', failed: ['audience', 'role', 'tenant', 'plan', 'region'], via: 'rsc' }),
      event({
        who: { subject: 'x'.repeat(1000), provider: 'clerk', previewing: 'signed out' },
        what: { queryHash: HASH, results: 0 },
        decision: 'search',
        via: 'mcp',
      }),
      event({ what: {}, decision: 'list', via: 'llms' }),
    ]
    for (const built of events) expect(auditEventSchema.parse(JSON.parse(JSON.stringify(built)))).toEqual(built)
  })

  it('rejects tampered entries', () => {
    const base = JSON.parse(JSON.stringify(event({ decision: 'forbidden', failed: ['role'] }))) as Record<string, Record<string, unknown>>
    const tampered: [string, unknown][] = [
      ['subject too long', { ...base, who: { ...base.who, subject: 'x'.repeat(MAX_SUBJECT_LENGTH + 1) } }],
      ['subject a number', { ...base, who: { ...base.who, subject: 42 } }],
      ['provider too long', { ...base, who: { ...base.who, provider: 'p'.repeat(33) } }],
      ['previewing too long', { ...base, who: { ...base.who, previewing: 'role:admin '.repeat(5) } }],
      ['docId traversal', { ...base, what: { ...base.what, docId: '../secrets' } }],
      ['slug markup', { ...base, what: { ...base.what, slug: '</script>' } }],
      ['queryHash text', { ...base, what: { ...base.what, queryHash: 'billing api' } }],
      ['results negative', { ...base, what: { ...base.what, results: -1 } }],
      ['results fraction', { ...base, what: { ...base.what, results: 1.5 } }],
      ['results string', { ...base, what: { ...base.what, results: '3' } }],
      ['decision unknown', { ...base, decision: 'admin' }],
      ['via unknown', { ...base, via: 'ftp' }],
      ['at not a date', { ...base, at: 'yesterday' }],
      ['at missing', { ...base, at: undefined }],
      ['who missing', { ...base, who: undefined }],
      ['what missing', { ...base, what: undefined }],
      ['failed too many', { ...base, failed: ['role', 'role', 'role', 'role', 'role', 'role'] }],
      ['failed name too long', { ...base, failed: ['r'.repeat(33)] }],
      ['failed not a list', { ...base, failed: 'role' }],
      ['null', null],
      ['array', [base]],
      ['string', 'read'],
    ]
    for (const [what, entry] of tampered) expect(auditEventSchema.safeParse(entry).success, what).toBe(false)
  })

  it('strips keys it does not know, at every level', () => {
    const base = JSON.parse(JSON.stringify(event())) as Record<string, Record<string, unknown>>
    const parsed = auditEventSchema.parse({
      ...base,
      title: 'Merger plans',
      who: { ...base.who, email: 'alice@example.com' },
      what: { ...base.what, body: 'TOP SECRET' },
    })
    expect(parsed).toEqual(event())
    expect(JSON.stringify(parsed)).not.toMatch(/Merger|example\.com|TOP SECRET/)
  })
})

/** A query string as Next hands it to a page: a repeated parameter is an array. */
function paramsOf(href: string): SearchParams {
  const params: Record<string, string | string[]> = {}
  for (const [name, value] of new URL(href, 'http://gatehouse.test').searchParams) {
    const current = params[name]
    params[name] = current === undefined ? value : [...(Array.isArray(current) ? current : [current]), value]
  }
  return params
}

describe('parseAuditQuery', () => {
  it('no parameters: no filters, page 1, nothing ignored', () => {
    expect(parseAuditQuery({})).toEqual({ filters: {}, page: 1, ignored: [] })
    expect(parseAuditQuery({ reader: '', doc: '   ', decision: undefined, page: '' })).toEqual({ filters: {}, page: 1, ignored: [] })
  })

  it('keeps well-formed filters and page (trimmed)', () => {
    expect(parseAuditQuery({ reader: 'auth0|64f1c2e3', doc: 'getting-started', decision: 'forbidden', page: '3' })).toEqual({
      filters: { reader: 'auth0|64f1c2e3', doc: 'getting-started', decision: 'forbidden' },
      page: 3,
      ignored: [],
    })
    expect(parseAuditQuery({ reader: '  alice  ', doc: ' events-api ' }).filters).toEqual({ reader: 'alice', doc: 'events-api' })
    expect(parseAuditQuery({ reader: 'user_2xAbC' }).filters.reader).toBe('user_2xAbC')
    expect(parseAuditQuery({ reader: 'y'.repeat(MAX_SUBJECT_LENGTH) }).filters.reader).toHaveLength(MAX_SUBJECT_LENGTH)
    for (const [page, expected] of [
      ['1', 1],
      ['007', 7],
      ['999999', 999999],
    ] as const) {
      expect(parseAuditQuery({ page })).toEqual({ filters: {}, page: expected, ignored: [] })
    }
  })

  it('ignores and names a repeated parameter, never picking one of its values', () => {
    const parsed = parseAuditQuery({ reader: ['alice', 'bob'], doc: ['getting-started'], decision: ['read', 'read'], page: ['2', '3'] })
    expect(parsed).toEqual({ filters: {}, page: 1, ignored: ['reader', 'doc', 'decision', 'page'] })
    expect(parseAuditQuery({ reader: [] })).toEqual({ filters: {}, page: 1, ignored: ['reader'] })
    expect(parseAuditQuery(paramsOf('/audit?reader=alice&reader=bob&doc=events-api'))).toEqual({ filters: { doc: 'events-api' }, page: 1, ignored: ['reader'] })
  })

  it('ignores a reader with control or invisible format characters, or one too long', () => {
    const hostile = [
      'alice\u0000',
      'al\u0007ice',
      'al\nice',
      'al\tice',
      'al\u200Bice', // zero-width space
      'al\u200Dice', // zero-width joiner
      'al\uFEFFice', // BOM inside
      'alice\u202Eevil', // right-to-left override
      'al\u00ADice', // soft hyphen
      'al\u0085ice', // next line (C1)
      'x'.repeat(MAX_SUBJECT_LENGTH + 1),
    ]
    for (const reader of hostile) {
      const parsed = parseAuditQuery({ reader })
      expect(parsed, JSON.stringify(reader)).toEqual({ filters: {}, page: 1, ignored: ['reader'] })
    }
  })

  it('ignores a page that is not a whole number from 1 to 999999', () => {
    for (const page of ['0', '-1', '1e3', '9999999', '1.5', '0x10', '+2', ' 2', 'Infinity', 'NaN', 'abc', '١٢', '2 ', '000']) {
      expect(parseAuditQuery({ page }), JSON.stringify(page)).toEqual({ filters: {}, page: 1, ignored: ['page'] })
    }
  })

  it('ignores a decision not in the enum and a doc that is not a slug', () => {
    for (const decision of ['admin', 'READ', 'toString', '__proto__', 'read,forbidden', 'read ', ' read']) {
      expect(parseAuditQuery({ decision }), decision).toEqual({ filters: {}, page: 1, ignored: ['decision'] })
    }
    for (const doc of ['../etc', 'Getting-Started', 'a'.repeat(97), '</script>', 'a b', 'ü']) {
      expect(parseAuditQuery({ doc }), doc).toEqual({ filters: {}, page: 1, ignored: ['doc'] })
    }
  })

  it('never echoes an ignored value, and ignores parameters it does not know', () => {
    const parsed = parseAuditQuery({ reader: '<img src=x onerror=alert(1)>\u0000', doc: '<svg/onload=alert(1)>', title: 'x', __proto__: 'y' } as SearchParams)
    expect(parsed).toEqual({ filters: {}, page: 1, ignored: ['reader', 'doc'] })
    expect(JSON.stringify(parsed)).not.toMatch(/onerror|onload|title/)
  })
})

describe('auditHref', () => {
  it('links to /audit with only the filters set, and page only past the first', () => {
    expect(auditHref({})).toBe('/audit')
    expect(auditHref({}, 1)).toBe('/audit')
    expect(auditHref({}, 2)).toBe('/audit?page=2')
    expect(auditHref({ decision: 'read' })).toBe('/audit?decision=read')
  })

  it('round-trips through parseAuditQuery, special characters included', () => {
    const readers = [
      'auth0|64f1c2e3a4b5',
      'google-oauth2|1234567890',
      'user_2xAbC',
      'a+b c%20d/é',
      'x&decision=read#frag',
      'q?page=9',
      '🦆 duck',
      'y'.repeat(MAX_SUBJECT_LENGTH),
    ]
    const cases: AuditFilters[] = [
      ...readers.map((reader) => ({ reader })),
      { doc: 'getting-started', decision: 'forbidden' },
      { reader: 'auth0|64f1c2', doc: 'events-api', decision: 'notFound' },
    ]
    for (const filters of cases) {
      for (const page of [1, 2, 999999]) {
        const href = auditHref(filters, page)
        expect(href.startsWith('/audit')).toBe(true)
        expect(parseAuditQuery(paramsOf(href)), href).toEqual({ filters, page, ignored: [] })
      }
    }
  })
})

describe('readEvents', () => {
  const NOW = Date.parse('2025-06-10T00:00:00.000Z')
  const MINUTE = 60_000
  const DAY = 86_400_000
  const options = { maxEvents: 1000, maxEventsPerReader: 1000, retentionDays: 7, pageSize: 50, now: NOW, readerHash }
  let store: MemoryStore

  beforeEach(() => {
    store = new MemoryStore(100, () => NOW)
  })
  afterEach(async () => {
    await store.close()
  })

  /**
   * Events through the store sink, oldest first, as they arrive over time (each into its reader's list);
   * raw lines into the legacy shared list, which the reader still reads until it expires.
   */
  async function seed(...lines: (AuditEvent | string)[]) {
    const sink = storeSink({ store: () => store, maxEvents: 1000, maxEventsPerReader: 1000, retentionDays: 30, readerHash, maxPending: 100_000 })
    for (const line of lines) {
      if (typeof line === 'string') await store.append(LEGACY_LIST_KEYS[0], line, { maxLength: 1000, ttlSeconds: 30 * 86_400 })
      else sink.write(line)
    }
    await vi.waitFor(() => expect(sink.pending).toBe(0))
  }
  const ago = (ms: number) => new Date(NOW - ms)

  it('a flood of signed-out requests cannot push signed-in decisions out; both read back merged, newest first', async () => {
    const sink = storeSink({ store: () => store, maxEvents: 100, maxEventsPerReader: 100, retentionDays: 7, readerHash, maxPending: 1000 })
    const alice = event({ who: { subject: 'alice', provider: 'okta' }, what: { slug: 'partner-api' } }, ago(10 * MINUTE))
    sink.write(alice)
    const anonymous = Array.from({ length: 500 }, (_, i) =>
      event({ who: { subject: null, provider: null }, what: { slug: 'zz' }, decision: 'notFound' }, ago(9 * MINUTE - i * 1000)),
    )
    for (const e of anonymous) sink.write(e)
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    expect(await store.range(readerListKey(readerHash('alice')), 1000)).toHaveLength(1)
    expect(await store.range(AUDIT_SIGNED_OUT_LIST_KEY, 1000)).toHaveLength(100)
    const listing = await readEvents(store, {}, 1, { ...options, maxEvents: 200, pageSize: 200 })
    expect(listing.retained).toBe(101)
    // Even when the view's budget is smaller than the signed-out list, alice keeps her share of it.
    const tight = await readEvents(store, {}, 1, { ...options, maxEvents: 100, pageSize: 200 })
    expect(tight.retained).toBe(100)
    expect(tight.events).toContainEqual(alice)
    expect(listing.events.at(-1)).toEqual(alice)
    expect(listing.events[0]).toEqual(anonymous.at(-1))
    const times = listing.events.map((e) => Date.parse(e.at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect((await readEvents(store, { reader: 'alice' }, 1, options)).events).toEqual([alice])
  })

  it('an empty trail is one empty page', async () => {
    expect(await readEvents(store, {}, 1, options)).toEqual({ events: [], matched: 0, retained: 0, page: 1, pageCount: 1 })
    expect(await readEvents(store, { reader: 'alice' }, 7, options)).toEqual({ events: [], matched: 0, retained: 0, page: 1, pageCount: 1 })
  })

  it('filters by reader, doc and decision, newest first', async () => {
    const alice = { subject: 'alice', provider: 'okta' }
    const bob = { subject: 'bob', provider: 'okta' }
    const a1 = event({ who: alice, what: { docId: 'd1', slug: 'getting-started' } }, ago(5 * MINUTE))
    const b1 = event({ who: bob, what: { docId: 'd2', slug: 'events-api' }, decision: 'forbidden', failed: ['role'] }, ago(4 * MINUTE))
    const a2 = event({ who: alice, what: { docId: 'd2', slug: 'events-api' }, decision: 'forbidden', failed: ['plan'] }, ago(3 * MINUTE))
    const anon = event({ who: { subject: null, provider: null }, what: { slug: 'events-api' }, decision: 'signIn' }, ago(2 * MINUTE))
    const a3 = event({ who: alice, what: { queryHash: HASH, results: 2 }, decision: 'search', via: 'search' }, ago(1 * MINUTE))
    await seed(a1, b1, a2, anon, a3)

    const all = await readEvents(store, {}, 1, options)
    expect(all).toEqual({ events: [a3, anon, a2, b1, a1], matched: 5, retained: 5, page: 1, pageCount: 1 })
    expect((await readEvents(store, { reader: 'alice' }, 1, options)).events).toEqual([a3, a2, a1])
    expect((await readEvents(store, { doc: 'events-api' }, 1, options)).events).toEqual([anon, a2, b1])
    expect((await readEvents(store, { decision: 'forbidden' }, 1, options)).events).toEqual([a2, b1])
    const narrow = await readEvents(store, { reader: 'alice', doc: 'events-api', decision: 'forbidden' }, 1, options)
    // With a reader filter only that reader's own list is read: what is retained is theirs.
    expect(narrow).toEqual({ events: [a2], matched: 1, retained: 3, page: 1, pageCount: 1 })
    expect((await readEvents(store, { reader: 'Alice' }, 1, options)).matched).toBe(0)
    expect((await readEvents(store, { reader: 'nobody' }, 1, options)).events).toEqual([])
  })

  it('pages through the matches; a page past either end is clamped', async () => {
    const events = Array.from({ length: 5 }, (_, i) => event({ what: { docId: `d${i}` } }, ago((10 - i) * MINUTE)))
    await seed(...events)
    const newestFirst = [...events].reverse()
    const paged = { ...options, pageSize: 2 }
    expect(await readEvents(store, {}, 1, paged)).toEqual({ events: newestFirst.slice(0, 2), matched: 5, retained: 5, page: 1, pageCount: 3 })
    expect(await readEvents(store, {}, 2, paged)).toMatchObject({ events: newestFirst.slice(2, 4), page: 2 })
    expect(await readEvents(store, {}, 3, paged)).toMatchObject({ events: newestFirst.slice(4), page: 3 })
    expect(await readEvents(store, {}, 999999, paged)).toMatchObject({ events: newestFirst.slice(4), page: 3, pageCount: 3 })
    expect(await readEvents(store, {}, 0, paged)).toMatchObject({ events: newestFirst.slice(0, 2), page: 1 })
    expect(await readEvents(store, {}, -5, paged)).toMatchObject({ events: newestFirst.slice(0, 2), page: 1 })
  })

  it('never shows events older than the retention period, even while the list still holds them', async () => {
    const old = event({ what: { docId: 'old' } }, ago(7 * DAY + 1))
    const edge = event({ what: { docId: 'edge' } }, ago(7 * DAY))
    const recent = event({ what: { docId: 'recent' } }, ago(6 * DAY))
    await seed(old, edge, recent)
    expect(await readEvents(store, {}, 1, options)).toEqual({ events: [recent, edge], matched: 2, retained: 2, page: 1, pageCount: 1 })
    expect((await readEvents(store, {}, 1, { ...options, retentionDays: 1 })).events).toEqual([])
  })

  it('reads at most maxEvents, the newest', async () => {
    const events = Array.from({ length: 10 }, (_, i) => event({ what: { docId: `d${i}` } }, ago((10 - i) * MINUTE)))
    await seed(...events)
    const listing = await readEvents(store, {}, 1, { ...options, maxEvents: 4 })
    expect(listing.retained).toBe(4)
    expect(listing.events.map((e) => e.what.docId)).toEqual(['d9', 'd8', 'd7', 'd6'])
  })

  it('skips malformed entries (counted in the log), never shows them raw, and strips unknown keys', async () => {
    const warn = vi.spyOn(log, 'warn')
    const good = event({ who: { subject: 'alice', provider: 'okta' } }, ago(MINUTE))
    const plain = JSON.parse(JSON.stringify(good)) as Record<string, unknown>
    const padded = {
      ...plain,
      title: 'Merger plans 2026',
      who: { ...(plain.who as object), email: 'alice@example.com' },
      what: { ...(plain.what as object), body: 'TOP SECRET' },
    }
    await seed(
      'not json at all: TOP SECRET',
      '{"at":',
      'null',
      '42',
      '"read"',
      '[]',
      JSON.stringify({ ...plain, decision: 'admin' }),
      JSON.stringify({ ...plain, who: { subject: 'x'.repeat(300), provider: 'okta' } }),
      JSON.stringify({ ...plain, at: 'not a date' }),
      `{"__proto__":{"polluted":true},${JSON.stringify(plain).slice(1)}`,
      JSON.stringify(padded),
      JSON.stringify(good),
    )
    const listing = await readEvents(store, {}, 1, options)
    expect(listing.events).toEqual([good, good, good])
    expect(listing.retained).toBe(3)
    const json = JSON.stringify(listing)
    expect(json).not.toMatch(/title|Merger|TOP SECRET|example\.com|polluted|admin|not json/)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    for (const shown of listing.events) expect(Object.getPrototypeOf(shown)).toBe(Object.prototype)
    expect(warn).toHaveBeenCalledWith('audit.malformed_events', { malformed: 9 })
  })

  it('passes on the store’s StoreUnavailable: an unreadable trail is not an empty one', async () => {
    const down = { ...store, range: () => Promise.reject(new StoreUnavailable('Redis LRANGE failed: down')) } as unknown as SharedStore
    await expect(readEvents(down, {}, 1, options)).rejects.toBeInstanceOf(StoreUnavailable)
  })
})

/** A store whose append is whatever the test needs; nothing else is called. */
function fakeStore(append: SharedStore['append']): SharedStore {
  const unused = () => Promise.reject(new Error('not used'))
  // set answers "already indexed", so each signed-in write is one append, as the tests below count.
  return { kind: 'memory', append, get: unused, set: async () => false, delete: unused, increment: unused, range: unused, close: async () => {} }
}

describe('storeSink', () => {
  it('appends each event to the bounded list, with maxEvents and the retention as TTL', async () => {
    const store = new MemoryStore()
    const calls: [string, { maxLength: number; ttlSeconds: number }][] = []
    const append = vi.spyOn(store, 'append').mockImplementation(async (key, value, opts) => {
      calls.push([key, opts])
      return MemoryStore.prototype.append.call(store, key, value, opts)
    })
    const tasks: Promise<void>[] = []
    const sink = storeSink({
      store: () => store,
      maxEvents: 50,
      maxEventsPerReader: 3,
      retentionDays: 7,
      readerHash,
      keepAlive: (task) => void tasks.push(task),
    })
    const events = Array.from({ length: 5 }, (_, i) => event({ what: { docId: `d${i}` } }))
    for (const e of events) sink.write(e)
    expect(tasks).toHaveLength(5)
    expect(sink.pending).toBe(5)
    await Promise.all(tasks)
    expect(sink.pending).toBe(0)
    expect(sink.dropped).toBe(0)
    // Five events into the reader's own list, and the reader listed in the index once.
    const list = readerListKey(readerHash('auth0|64f1c2'))
    expect(calls.filter(([key]) => key === list)).toHaveLength(5)
    expect(calls.filter(([key, opts]) => key === list && opts.maxLength === 3 && opts.ttlSeconds === 7 * 86_400)).toHaveLength(5)
    expect(calls.filter(([key]) => key === AUDIT_READER_INDEX_KEY)).toHaveLength(1)
    expect(append).toHaveBeenCalledTimes(6)
    expect(await store.range(AUDIT_READER_INDEX_KEY, 10)).toEqual([readerHash('auth0|64f1c2')])
    const stored = await store.range(list, 100)
    expect(stored.map((line) => JSON.parse(line) as AuditEvent)).toEqual([events[4], events[3], events[2]])
    await store.close()
  })

  it('a store that rejects: write never throws, every loss is counted, the log is rate-limited', async () => {
    const failure = vi.spyOn(log, 'failure')
    let now = 1_000_000
    const tasks: Promise<void>[] = []
    const sink = storeSink({
      store: () => fakeStore(() => Promise.reject(new StoreUnavailable('Redis LPUSH failed: connection refused'))),
      maxEvents: 100,
      maxEventsPerReader: 100,
      retentionDays: 7,
      readerHash,
      keepAlive: (task) => void tasks.push(task),
      now: () => now,
    })
    const writeAll = async (count: number) => {
      for (let i = 0; i < count; i++) expect(() => sink.write(event())).not.toThrow()
      await Promise.all(tasks.splice(0)) // the tasks never reject: the failure is handled
    }
    await writeAll(10)
    expect(sink.dropped).toBe(10)
    expect(sink.pending).toBe(0)
    expect(failure).toHaveBeenCalledTimes(1)
    expect(failure).toHaveBeenLastCalledWith('audit.store_failed', expect.any(StoreUnavailable), { lost: 1, pending: 10 })
    now += 59_999
    await writeAll(5)
    expect(failure).toHaveBeenCalledTimes(1)
    now += 1
    await writeAll(1)
    expect(failure).toHaveBeenCalledTimes(2)
    expect(failure).toHaveBeenLastCalledWith('audit.store_failed', expect.any(StoreUnavailable), { lost: 15, pending: 1 })
    expect(sink.dropped).toBe(16)
  })

  it('a store that throws instead of rejecting, or answers no promise, is a failed write too', async () => {
    vi.spyOn(log, 'failure').mockImplementation(() => {})
    const throwing = storeSink({
      store: () =>
        fakeStore(() => {
          throw new Error('synchronous failure')
        }),
      maxEvents: 100,
      maxEventsPerReader: 100,
      retentionDays: 7,
      readerHash,
    })
    expect(() => throwing.write(event())).not.toThrow()
    expect(throwing).toMatchObject({ pending: 0, dropped: 1 })
    const broken = storeSink({
      store: () => fakeStore((() => undefined) as unknown as SharedStore['append']),
      maxEvents: 100,
      maxEventsPerReader: 100,
      retentionDays: 7,
      readerHash,
    })
    expect(() => broken.write(event())).not.toThrow()
    expect(broken).toMatchObject({ pending: 0, dropped: 1 })
  })

  it('a store that hangs: at most maxPending writes wait, the rest are dropped and counted', async () => {
    const warn = vi.spyOn(log, 'warn')
    const kept: Promise<void>[] = []
    const sink = storeSink({
      store: () => fakeStore(() => new Promise<void>(() => {})),
      maxEvents: 100,
      maxEventsPerReader: 100,
      retentionDays: 7,
      readerHash,
      maxPending: 5,
      keepAlive: (task) => void kept.push(task),
      now: () => 0,
    })
    for (let i = 0; i < 200; i++) expect(() => sink.write(event())).not.toThrow()
    expect(sink.pending).toBe(5)
    expect(sink.dropped).toBe(195)
    expect(kept).toHaveLength(5)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn).toHaveBeenCalledWith('audit.store_saturated', { lost: 1, pending: 5, error: 'more than 5 writes in flight' })
  })

  it('takes writes again once the store catches up; the default bound is 256', async () => {
    vi.spyOn(log, 'warn').mockImplementation(() => {})
    const waiting: (() => void)[] = []
    const sink = storeSink({
      store: () => fakeStore(() => new Promise<void>((resolve) => waiting.push(resolve))),
      maxEvents: 100,
      maxEventsPerReader: 100,
      retentionDays: 7,
      readerHash,
    })
    for (let i = 0; i < 300; i++) sink.write(event())
    expect(sink).toMatchObject({ pending: 256, dropped: 44 })
    for (const resolve of waiting.splice(0, 10)) resolve()
    await new Promise((resolve) => setImmediate(resolve))
    expect(sink.pending).toBe(246)
    sink.write(event())
    expect(sink).toMatchObject({ pending: 247, dropped: 44 })
  })

  it('a store() factory that throws is counted as dropped; nothing is left pending or kept alive', () => {
    const failure = vi.spyOn(log, 'failure').mockImplementation(() => {})
    const keepAlive = vi.fn()
    const sink = storeSink({
      store: () => {
        throw new Error('REDIS_URL must start with redis://')
      },
      maxEvents: 100,
      maxEventsPerReader: 100,
      retentionDays: 7,
      readerHash,
      keepAlive,
    })
    expect(() => sink.write(event())).not.toThrow()
    expect(() => sink.write(event())).not.toThrow()
    expect(sink).toMatchObject({ pending: 0, dropped: 2 })
    expect(keepAlive).not.toHaveBeenCalled()
    expect(failure).toHaveBeenCalledTimes(1)
  })

  it('a keepAlive that throws does not stop the write', async () => {
    const store = new MemoryStore()
    const sink = storeSink({
      store: () => store,
      maxEvents: 100,
      maxEventsPerReader: 100,
      retentionDays: 7,
      readerHash,
      keepAlive: () => {
        throw new Error('outside a request scope')
      },
    })
    expect(() => sink.write(event())).not.toThrow()
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    expect(await store.range(readerListKey(readerHash('auth0|64f1c2')), 10)).toHaveLength(1)
    expect(sink).toMatchObject({ pending: 0, dropped: 0 })
    await store.close()
  })
})

describe('stdoutSink', () => {
  it('writes one JSON line per event, and never throws', () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const e = event()
    stdoutSink.write(e)
    expect(info).toHaveBeenCalledTimes(1)
    expect(JSON.parse(info.mock.calls[0]![0] as string)).toEqual({ level: 'info', event: 'audit.decision', ...e })
    info.mockImplementation(() => {
      throw new Error('EPIPE')
    })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => stdoutSink.write(e)).not.toThrow()
  })
})

describe('queryHash', () => {
  const secret = mocked.config.session.secret
  afterEach(() => {
    mocked.config = { ...mocked.config, session: { secret } }
  })

  it('is the same for case, spacing and compatibility-form variants', () => {
    const hash = queryHash('billing api')
    for (const variant of ['Billing API', '  BILLING\tapi\n', 'billing    api', 'ｂｉｌｌｉｎｇ ａｐｉ', 'billing\u00A0api'])
      expect(queryHash(variant), variant).toBe(hash)
  })

  it('differs for different text', () => {
    const hashes = ['billing api', 'billing apis', 'billingapi', 'api billing', 'billing', ''].map(queryHash)
    expect(new Set(hashes).size).toBe(hashes.length)
  })

  it('is 32 lowercase hex characters, which an event keeps', () => {
    for (const text of ['billing api', '', '🦆'.repeat(5000), '<script>alert(1)</script>']) {
      const hash = queryHash(text)
      expect(hash).toMatch(/^[a-f0-9]{32}$/)
      expect(event({ what: { queryHash: hash }, decision: 'search', via: 'search' }).what.queryHash).toBe(hash)
    }
  })

  it('is keyed by SESSION_SECRET: not a plain hash anyone could compute, and another secret gives another hash', () => {
    const hash = queryHash('billing api')
    expect(hash).not.toBe(createHash('sha256').update('billing api').digest('hex').slice(0, 32))
    mocked.config = { ...mocked.config, session: { secret: 'another-secret-that-is-at-least-32-characters' } }
    const other = queryHash('billing api')
    expect(other).not.toBe(hash)
    mocked.config = { ...mocked.config, session: { secret } }
    expect(queryHash('billing api')).toBe(hash)
  })
})

describe('auditAccessOf', () => {
  it('signed out → signIn; without the editor role → forbidden; with it → editor', () => {
    expect(auditAccessOf({ viewer: null }, 'editor')).toBe('signIn')
    expect(auditAccessOf({ viewer: viewer('alice', []) }, 'editor')).toBe('forbidden')
    expect(auditAccessOf({ viewer: viewer('alice', ['reader', 'support']) }, 'editor')).toBe('forbidden')
    expect(auditAccessOf({ viewer: viewer('alice', ['Editor', 'editors', 'editor ']) }, 'editor')).toBe('forbidden')
    expect(auditAccessOf({ viewer: viewer('alice', ['reader', 'editor']) }, 'editor')).toBe('editor')
    expect(auditAccessOf({ viewer: viewer('alice', ['docs-admin']) }, 'docs-admin')).toBe('editor')
  })

  it('auditAccess: draft mode or a preview alone grants nothing; the viewer’s role decides', async () => {
    const audience = (partial: Partial<Audience>): Audience => ({ viewer: null, isEditor: false, preview: null, drafts: false, reader: null, ...partial })
    mocked.audience = audience({ isEditor: true, drafts: true })
    expect(await auditAccess()).toBe('signIn')
    mocked.audience = audience({ viewer: viewer('bob', ['reader']), isEditor: true, drafts: true })
    expect(await auditAccess()).toBe('forbidden')
    mocked.audience = audience({ viewer: viewer('carol', ['editor']), isEditor: true, preview: { ...NO_GRANTS, anonymous: true }, drafts: true })
    expect(await auditAccess()).toBe('editor')
  })
})

describe('whoOf', () => {
  it('names the subject and provider only, and a preview only as a summary', () => {
    const alice = viewer('alice', ['editor'])
    expect(whoOf({ viewer: null, preview: null })).toEqual({ subject: null, provider: null })
    expect(whoOf({ viewer: alice, preview: null })).toEqual({ subject: 'alice', provider: 'okta' })
    expect(whoOf({ viewer: alice, preview: { ...NO_GRANTS, anonymous: true } })).toEqual({ subject: 'alice', provider: 'okta', previewing: 'signed out' })
    const previewing = whoOf({ viewer: alice, preview: { ...NO_GRANTS, roles: ['acme-admin'], anonymous: false } })
    expect(previewing).toEqual({ subject: 'alice', provider: 'okta', previewing: 'an audience' })
    expect(JSON.stringify(previewing)).not.toMatch(/example\.com|Liddell|acme-admin/)
  })
})

describe('recordDecision', () => {
  let store: MemoryStore
  beforeEach(() => {
    store = new MemoryStore()
    mocked.store = store
  })
  afterEach(async () => {
    await store.close()
  })
  const stored = async () => (await store.range(readerListKey(readerHash('auth0|64f1c2')), 100)).map((line) => JSON.parse(line) as AuditEvent)

  it('records one event in the store, in the background, without what it was not asked to keep', async () => {
    const hostile = { ...input(), what: { slug: 'getting-started', title: 'Merger plans' }, token: 'eyJsecret' } as unknown as AuditInput
    expect(recordDecision(hostile)).toBeUndefined()
    await vi.waitFor(async () => expect(await stored()).toHaveLength(1))
    const [recorded] = await stored()
    expect(recorded).toMatchObject({ who: { subject: 'auth0|64f1c2', provider: 'auth0' }, what: { slug: 'getting-started' }, decision: 'read', via: 'web' })
    expect(Date.now() - Date.parse(recorded!.at)).toBeLessThan(60_000)
    expect(JSON.stringify(recorded)).not.toMatch(/Merger|eyJsecret|title|token/)
  })

  it('an input no event can be made of is logged, not recorded, and does not throw', async () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
    expect(() => recordDecision(input({ decision: 'admin' as AuditInput['decision'] }))).not.toThrow()
    expect(warn).toHaveBeenCalledWith('audit.invalid', { decision: 'admin', via: 'web' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(await stored()).toEqual([])
  })

  it('never throws, whatever fails: a store that is down, a configuration that cannot be read', async () => {
    const failure = vi.spyOn(log, 'failure').mockImplementation(() => {})
    vi.spyOn(store, 'append').mockRejectedValue(new StoreUnavailable('down'))
    expect(() => recordDecision(input())).not.toThrow()
    await vi.waitFor(() => expect(failure).toHaveBeenCalledWith('audit.store_failed', expect.any(StoreUnavailable), expect.anything()))
    const config = mocked.config
    mocked.config = new Proxy(config, {
      get() {
        throw new Error('SESSION_SECRET is required')
      },
    })
    try {
      expect(() => recordDecision(input())).not.toThrow()
      expect(failure).toHaveBeenCalledWith('audit.failed', expect.any(Error))
    } finally {
      mocked.config = config
    }
  })
})

describe('per-reader trail: no reader can push out another’s events', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedisServer()
  })
  afterAll(async () => {
    await redis.stop()
  })

  const stores: [string, () => SharedStore][] = [
    ['memory', () => new MemoryStore()],
    ['redis', () => new RedisStore({ url: redis.url, clientCache: false, keyPrefix: `audit-${Math.random()}:` })],
  ]
  const alice = { subject: 'alice', provider: 'local' }
  const mallory = { subject: 'mallory', provider: 'local' }
  const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' }
  const readDocCall = (id: number, slug: string) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'read_doc', arguments: { slug } } })

  /** One MCP request, served as app/api/mcp/route.ts serves it: a fresh bounded server per request. */
  async function mcpPost(sink: AuditSink, body: unknown): Promise<Response> {
    const server = new BoundedMcpServer({ name: 'audit-test', version: '1.0.0' }, { capabilities: { tools: {} } })
    server.registerTool('read_doc', { inputSchema: { slug: z.string() } }, async ({ slug }) => {
      sink.write(event({ who: mallory, what: { slug }, decision: 'forbidden', failed: ['role'], via: 'mcp' }, new Date()))
      return { isError: true, content: [{ type: 'text', text: 'locked' }] }
    })
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    try {
      return await transport.handleRequest(new Request('http://localhost/api/mcp', { method: 'POST', headers: mcpHeaders, body: JSON.stringify(body) }))
    } finally {
      await server.close()
    }
  }

  for (const [name, make] of stores) {
    it(`${name}: mallory's flood through MCP batches leaves alice's 664 events in /audit`, async () => {
      const store = make()
      try {
        const sink = storeSink({ store: () => store, maxEvents: 5000, maxEventsPerReader: 1000, retentionDays: 7, readerHash, maxPending: 100_000 })
        const t0 = Date.now() - 3_600_000
        const aliceEvents = Array.from({ length: 664 }, (_, i) => event({ who: alice, what: { slug: `doc-${i % 40}` } }, new Date(t0 + i)))
        for (const e of aliceEvents) sink.write(e)
        await vi.waitFor(() => expect(sink.pending).toBe(0))

        // Issue #18's flood: 55 requests of 100 batched read_doc calls. Each is refused whole, before any call runs.
        for (let r = 0; r < 55; r++) {
          const response = await mcpPost(
            sink,
            Array.from({ length: 100 }, (_, i) => readDocCall(r * 100 + i, 'partner-api')),
          )
          expect(response.status).toBe(400)
          expect(await response.json()).toEqual({
            jsonrpc: '2.0',
            id: null,
            error: { code: -32600, message: 'Invalid Request: a batch may hold at most 10 messages; this one holds 100' },
          })
        }
        expect(sink.pending).toBe(0)
        expect(await store.range(readerListKey(readerHash('mallory')), 10)).toEqual([])

        // Within the cap she can still send 1,500 audited calls (150 batches of 10): they push out only her own.
        for (let r = 0; r < 150; r++) {
          const response = await mcpPost(
            sink,
            Array.from({ length: MCP_MAX_BATCH }, (_, i) => readDocCall(i, 'partner-api')),
          )
          expect(response.status).toBe(200)
          expect(await response.json()).toHaveLength(MCP_MAX_BATCH)
        }
        await vi.waitFor(() => expect(sink.pending).toBe(0))
        expect(sink.dropped).toBe(0)

        const options = { maxEvents: 5000, maxEventsPerReader: 1000, retentionDays: 7, pageSize: 50, readerHash }
        const hers = await readEvents(store, { reader: 'alice' }, 1, { ...options, pageSize: 1000 })
        expect(hers.matched).toBe(664)
        expect(hers.events).toEqual([...aliceEvents].reverse())
        const all = await readEvents(store, {}, 1, { ...options, pageSize: 5000 })
        expect(all.events.filter((e) => e.who.subject === 'alice')).toHaveLength(664)
        expect(all.events.filter((e) => e.who.subject === 'mallory')).toHaveLength(1000)
        expect((await readEvents(store, { reader: 'mallory' }, 1, options)).matched).toBe(1000)
        // No key names a reader in plain text.
        expect(await store.range(AUDIT_READER_INDEX_KEY, 10)).toEqual(expect.arrayContaining([readerHash('alice'), readerHash('mallory')]))
      } finally {
        await store.close()
      }
    }, 60_000)
  }

  it('a reader is listed in the index once per refresh window, however many events; a failed listing is retried', async () => {
    let now = Date.parse('2025-06-10T00:00:00.000Z')
    const store = new MemoryStore(100_000, () => now)
    const sink = storeSink({ store: () => store, maxEvents: 100, maxEventsPerReader: 50, retentionDays: 7, readerHash, maxPending: 10_000 })
    for (let i = 0; i < 500; i++) sink.write(event({ who: mallory }, new Date(now)))
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    expect(await store.range(AUDIT_READER_INDEX_KEY, 100)).toEqual([readerHash('mallory')])
    expect(await store.range(readerListKey(readerHash('mallory')), 1000)).toHaveLength(50)
    now += INDEX_REFRESH_SECONDS * 1000
    sink.write(event({ who: mallory }, new Date(now)))
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    expect(await store.range(AUDIT_READER_INDEX_KEY, 100)).toHaveLength(2)

    // The index append fails once: the marker is taken back, so alice's next event lists her.
    vi.spyOn(log, 'failure').mockImplementation(() => {})
    const append = store.append.bind(store)
    vi.spyOn(store, 'append').mockImplementationOnce(append).mockRejectedValueOnce(new StoreUnavailable('down'))
    sink.write(event({ who: alice }, new Date(now)))
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    expect(sink.dropped).toBe(1)
    expect(await store.range(AUDIT_READER_INDEX_KEY, 100)).not.toContain(readerHash('alice'))
    sink.write(event({ who: alice }, new Date(now)))
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    expect((await store.range(AUDIT_READER_INDEX_KEY, 100))[0]).toBe(readerHash('alice'))
    await store.close()
  })

  it('keys hold keyed hashes only: no subject (or email-like subject) in plain text; odd subjects get lists of their own', async () => {
    const store = new MemoryStore()
    const keys = vi.spyOn(store, 'append')
    const sink = storeSink({ store: () => store, maxEvents: 100, maxEventsPerReader: 10, retentionDays: 7, readerHash, maxPending: 1000 })
    const odd = ['alice@example.com', 'auth0|64f1c2', 'ünïcödé 👩‍💻', 'x'.repeat(MAX_SUBJECT_LENGTH), 'audit:v2:readers', '../../etc']
    for (const subject of odd) sink.write(event({ who: { subject, provider: 'auth0' } }, new Date()))
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    for (const [key] of keys.mock.calls) {
      expect(key).toMatch(/^audit:v2:(reader:[0-9a-f]{32}|readers)$/)
      expect(key).not.toMatch(/example|alice|auth0|ünï|etc/)
    }
    const options = { maxEvents: 100, maxEventsPerReader: 10, retentionDays: 7, pageSize: 50, readerHash }
    for (const subject of odd) expect((await readEvents(store, { reader: subject }, 1, options)).events.map((e) => e.who.subject)).toEqual([subject])
    expect((await readEvents(store, {}, 1, options)).matched).toBe(odd.length)
    // Another secret, another key: a hash cannot be confirmed without SESSION_SECRET.
    expect(readerHash('alice')).not.toBe(createHash('sha256').update('alice').digest('hex').slice(0, 32))
    await store.close()
  })

  it('skips index entries that are not reader hashes, and reads each reader once', async () => {
    const store = new MemoryStore()
    const sink = storeSink({ store: () => store, maxEvents: 100, maxEventsPerReader: 10, retentionDays: 7, readerHash, maxPending: 1000 })
    const mine = event({ who: alice }, new Date())
    sink.write(mine)
    await vi.waitFor(() => expect(sink.pending).toBe(0))
    const list = { maxLength: 100, ttlSeconds: 60 }
    for (const junk of ['', 'signed-out', '../reader', 'AB'.repeat(16), `${readerHash('alice')}x`, readerHash('alice'), readerHash('alice')])
      await store.append(AUDIT_READER_INDEX_KEY, junk, list)
    await store.append(`audit:v2:reader:signed-out`, JSON.stringify(event({ who: mallory })), list)
    const listing = await readEvents(store, {}, 1, { maxEvents: 100, maxEventsPerReader: 10, retentionDays: 7, pageSize: 50, readerHash })
    expect(listing.events).toEqual([mine])
  })

  it('still shows events of the legacy single list until it expires', async () => {
    const store = new MemoryStore()
    const old = event({ who: alice }, new Date(Date.now() - 60_000))
    await store.append(LEGACY_LIST_KEYS[0], JSON.stringify(old), { maxLength: 100, ttlSeconds: 60 })
    const options = { maxEvents: 100, maxEventsPerReader: 10, retentionDays: 7, pageSize: 50, readerHash }
    expect((await readEvents(store, {}, 1, options)).events).toEqual([old])
    expect((await readEvents(store, { reader: 'alice' }, 1, options)).events).toEqual([old])
  })
})

describe('fairRead', () => {
  async function listsOf(sizes: number[]) {
    const store = new MemoryStore()
    for (const [n, size] of sizes.entries()) for (let i = 0; i < size; i++) await store.append(`l${n}`, String(i), { maxLength: 100_000, ttlSeconds: 60 })
    return store
  }

  it('shares the budget max-min fairly: short lists whole, the rest equal shares, never past the budget', async () => {
    const store = await listsOf([1000, 5, 1000, 0])
    const lists = [0, 1, 2, 3].map((n) => ({ key: `l${n}`, length: 1000 }))
    expect((await fairRead(store, lists, 100)).map((items) => items.length)).toEqual([47, 5, 47, 0])
    expect((await fairRead(store, lists, 10_000)).map((items) => items.length)).toEqual([1000, 5, 1000, 0])
    // Each list's own length caps it; what it leaves is shared.
    expect(
      (
        await fairRead(
          store,
          lists.map((l, n) => (n === 0 ? { ...l, length: 10 } : l)),
          100,
        )
      ).map((items) => items.length),
    ).toEqual([10, 5, 85, 0])
    // Newest first, as range gives them.
    expect((await fairRead(store, lists, 8))[1]).toEqual(['4', '3'])
  })

  it('many lists (many accounts): each gets its share; more lists than the budget, the first ones one each', async () => {
    const store = await listsOf(Array.from({ length: 60 }, () => 50))
    const lists = Array.from({ length: 60 }, (_, n) => ({ key: `l${n}`, length: 50 }))
    const shares = (await fairRead(store, lists, 600)).map((items) => items.length)
    expect(shares).toEqual(Array.from({ length: 60 }, () => 10))
    const few = await fairRead(store, lists, 20)
    expect(few).toHaveLength(20)
    expect(few.every((items) => items.length === 1)).toBe(true)
  })

  it('a budget of 0, negative, fractional or not a number reads nothing or its whole part', async () => {
    const store = await listsOf([10])
    const lists = [{ key: 'l0', length: 10 }]
    for (const budget of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(await fairRead(store, lists, budget)).toEqual([])
    expect((await fairRead(store, lists, 3.9))[0]).toHaveLength(3)
  })
})

describe('batchRefusal (MCP)', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request('http://localhost/api/mcp', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  const batch = (n: number) => JSON.stringify(Array.from({ length: n }, (_, id) => ({ jsonrpc: '2.0', id, method: 'tools/list' })))

  it('refuses a batch over the cap with a JSON-RPC Invalid Request; passes the rest to the SDK untouched', async () => {
    const refused = await batchRefusal(post(batch(MCP_MAX_BATCH + 1)))
    expect(refused?.status).toBe(400)
    expect(refused?.headers.get('content-type')).toContain('application/json')
    expect(await refused?.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: `Invalid Request: a batch may hold at most ${MCP_MAX_BATCH} messages; this one holds ${MCP_MAX_BATCH + 1}` },
    })
    for (const body of [batch(MCP_MAX_BATCH), batch(1), '[]', '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', 'not json', '[1,2', '"text"', 'null', ''])
      expect(await batchRefusal(post(body)), body.slice(0, 20)).toBeNull()
    // The SDK reads the body after the check: it is still there.
    const request = post(batch(2))
    expect(await batchRefusal(request)).toBeNull()
    expect(JSON.parse(await request.text())).toHaveLength(2)
    expect(await batchRefusal(new Request('http://localhost/api/mcp', { method: 'GET' }))).toBeNull()
    expect(await batchRefusal(post(batch(3)), 2)).not.toBeNull()
  })

  it('a body over the SDK’s 4 MiB bound is left to the SDK (its 413), never read whole here', async () => {
    const huge = `[${Array.from({ length: 50 }, () => `"${'x'.repeat(100_000)}"`).join(',')}]`
    expect(await batchRefusal(post(huge))).toBeNull()
    expect(await batchRefusal(post(batch(50), { 'content-length': String(5 * 1024 * 1024) }))).toBeNull()
  })

  it('BoundedMcpServer applies the cap to a body the route already parsed too (its request body is then used up)', async () => {
    const server = new BoundedMcpServer({ name: 't', version: '1' }, { capabilities: { tools: {} } })
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    await server.connect(transport)
    try {
      const request = post(batch(MCP_MAX_BATCH + 5), { accept: 'application/json, text/event-stream' })
      const parsedBody: unknown = JSON.parse(await request.text())
      const refused = await transport.handleRequest(request, { parsedBody })
      expect(refused.status).toBe(400)
      expect(await refused.json()).toMatchObject({ error: { code: -32600 } })
    } finally {
      await server.close()
    }
  })

  it('BoundedMcpServer refuses any transport but Streamable HTTP, so no path skips the cap', async () => {
    const server = new BoundedMcpServer({ name: 't', version: '1' })
    const other = { start: async () => {}, send: async () => {}, close: async () => {} }
    await expect(server.connect(other)).rejects.toThrow('Streamable HTTP only')
  })
})
