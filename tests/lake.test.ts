import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type SanityClient } from 'next-sanity'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLake, type Lake } from '@/dev/lake/server'
import { loadSeed, seedFile } from './access-matrix'

const READ = 'read-token'
const WRITE = 'write-token'

let dir: string
let lake: Lake
const clientWith = (token: string | undefined, apiVersion = '2025-02-19'): SanityClient =>
  createClient({ projectId: 'local', dataset: 'production', apiVersion, token, useCdn: false, apiHost: lake.url, useProjectHostname: false })
let reader: SanityClient
let writer: SanityClient

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lake-test-'))
  lake = await startLake({ dataFile: join(dir, 'data.ndjson'), seedFile, tokens: { [READ]: 'read', [WRITE]: 'write' } })
  reader = clientWith(READ)
  writer = clientWith(WRITE)
})
afterAll(async () => {
  await lake.close()
  await rm(dir, { recursive: true, force: true })
})

describe('query API through @sanity/client', () => {
  it('loads the seed on first start', async () => {
    expect(await reader.fetch('count(*)')).toBe(loadSeed().length)
  })

  it('passes $params exactly as the client encodes them (GET)', async () => {
    const params = { slug: 'acme-runbook', roles: ['a', 'b'], n: null, flag: true }
    const result = await reader.fetch('*[slug.current == $slug][0]{title, "echo": [$roles, $n, $flag]}', params)
    expect(result).toEqual({ title: 'Acme incident runbook', echo: [['a', 'b'], null, true] })
  })

  it('switches to POST for long queries and still answers', async () => {
    const padding = Array.from({ length: 2000 }, (_, i) => `"k${i}": ${i}`).join(', ')
    const result = await reader.fetch(`{ ${padding}, "count": count(*[_type == $type]) }`, { type: 'gatedPage' })
    expect(result.count).toBe(loadSeed().filter((doc) => doc._type === 'gatedPage').length)
  })

  it('answers a bad GROQ query with 400 and the parse error', async () => {
    await expect(reader.fetch('*[_type == ]')).rejects.toMatchObject({ statusCode: 400 })
    const response = await fetch(`${lake.url}/v2025-02-19/data/query/production?query=${encodeURIComponent('*[')}`, {
      headers: { authorization: `Bearer ${READ}` },
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error).toMatchObject({ type: 'queryParseError', query: '*[' })
  })

  it('refuses requests without a valid token (private dataset)', async () => {
    await expect(clientWith(undefined).fetch('count(*)')).rejects.toMatchObject({ statusCode: 401 })
    await expect(clientWith('forged').fetch('count(*)')).rejects.toMatchObject({ statusCode: 401 })
    await expect(reader.create({ _type: 'x' })).rejects.toMatchObject({ statusCode: 403 })
  })

  it('serves published, drafts and raw perspectives', async () => {
    await writer.createOrReplace({
      _id: 'drafts.gatedPage.member-faq',
      _type: 'gatedPage',
      title: 'Member FAQ (draft)',
      slug: { _type: 'slug', current: 'member-faq' },
    })
    await writer.create({ _id: 'drafts.gatedPage.new-page', _type: 'gatedPage', title: 'New page' })
    const titles = (perspective: 'published' | 'drafts' | 'raw') =>
      reader.fetch<string[]>(
        '*[_id in $ids].title',
        { ids: ['gatedPage.member-faq', 'drafts.gatedPage.member-faq', 'gatedPage.new-page', 'drafts.gatedPage.new-page'] },
        { perspective },
      )
    expect((await titles('published')).sort()).toEqual(['Member FAQ'])
    expect((await titles('drafts')).sort()).toEqual(['Member FAQ (draft)', 'New page'])
    expect((await titles('raw')).sort()).toEqual(['Member FAQ', 'Member FAQ (draft)', 'New page'])
    // Older API versions default to raw, as Sanity does.
    expect(await clientWith(READ, '2021-06-07').fetch('count(*[_id in path("drafts.**")])')).toBe(2)
    await writer.transaction().delete('drafts.gatedPage.member-faq').delete('drafts.gatedPage.new-page').commit()
  })
})

describe('mutate and doc APIs', () => {
  it('creates, patches (set/unset) and deletes', async () => {
    await writer.create({ _id: 'accessRole.auditor', _type: 'accessRole', key: 'auditor', title: 'Auditor', description: 'x' })
    await writer.patch('accessRole.auditor').set({ title: 'Auditor (read-only)', 'meta.level': 2 }).unset(['description']).commit()
    const doc = await reader.getDocument('accessRole.auditor')
    expect(doc).toMatchObject({ title: 'Auditor (read-only)', meta: { level: 2 }, _rev: expect.any(String) })
    expect(doc).not.toHaveProperty('description')
    await writer.createIfNotExists({ _id: 'accessRole.auditor', _type: 'accessRole', key: 'changed' })
    expect((await reader.getDocument('accessRole.auditor'))?.key).toBe('auditor')
    await writer.delete('accessRole.auditor')
    expect(await reader.getDocument('accessRole.auditor')).toBeUndefined()
  })

  it('patches array items by _key', async () => {
    const key = await reader.fetch<string>('*[_id == "gatedPage.getting-started"][0].body[_type == "block"][1]._key')
    await writer
      .patch('gatedPage.getting-started')
      .set({ [`body[_key=="${key}"].style`]: 'h3' })
      .commit()
    const style = await reader.fetch('*[_id == "gatedPage.getting-started"][0].body[_key == $key][0].style', { key })
    expect(style).toBe('h3')
  })

  it('applies a transaction all-or-nothing', async () => {
    const before = await readFile(join(dir, 'data.ndjson'), 'utf8')
    const failing = writer
      .transaction()
      .create({ _id: 'accessPlan.team', _type: 'accessPlan', slug: 'team', title: 'Team' })
      .create({ _id: 'accessPlan.pro', _type: 'accessPlan', slug: 'pro', title: 'Duplicate' })
    await expect(failing.commit()).rejects.toMatchObject({ statusCode: 409 })
    expect(await reader.getDocument('accessPlan.team')).toBeUndefined()
    expect(await readFile(join(dir, 'data.ndjson'), 'utf8')).toBe(before)
    await expect(writer.patch('gatedPage.nope').set({ title: 'x' }).commit()).rejects.toMatchObject({ statusCode: 404 })
    await expect(writer.create({ _id: 'bad id!', _type: 'x' })).rejects.toMatchObject({ statusCode: 400 })
  })

  it('GET /data/doc returns found documents and lists omitted ones', async () => {
    const response = await fetch(`${lake.url}/v2025-02-19/data/doc/production/accessPlan.pro,accessPlan.none`, { headers: { authorization: `Bearer ${READ}` } })
    const body = await response.json()
    expect(body.documents.map((d: { _id: string }) => d._id)).toEqual(['accessPlan.pro'])
    expect(body.omitted).toEqual([{ id: 'accessPlan.none', reason: 'existence' }])
  })
})

describe('persistence', () => {
  it('survives a restart and ignores a leftover temp file from a crash', async () => {
    await writer.createOrReplace({ _id: 'accessPlan.team', _type: 'accessPlan', slug: 'team', title: 'Team' })
    await writeFile(join(dir, 'data.ndjson.999.dead.tmp'), '{"half-written')
    const again = await startLake({ dataFile: join(dir, 'data.ndjson'), seedFile, tokens: { [READ]: 'read' } })
    try {
      const client = createClient({
        projectId: 'local',
        dataset: 'production',
        apiVersion: '2025-02-19',
        token: READ,
        useCdn: false,
        apiHost: again.url,
        useProjectHostname: false,
      })
      expect(await client.fetch('*[_id == "accessPlan.team"][0].title')).toBe('Team')
    } finally {
      await again.close()
    }
  })
})

describe('the stand-in’s controls for benchmarks and tests (/__lake/*)', () => {
  const control = (path: string, init: RequestInit = {}, token: string | null = WRITE) =>
    fetch(`${lake.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' } })
  const stats = async () => (await (await control('/__lake/stats')).json()) as { queries: number; bySlug: Record<string, number>; latencyMs: number }

  it('counts what it answered, by page slug too; a slug named __proto__ is a count like any other', async () => {
    await control('/__lake/stats/reset', { method: 'POST' })
    await reader.fetch('*[slug.current == $slug][0]._id', { slug: 'acme-runbook' })
    await reader.fetch('*[slug.current == $slug][0]._id', { slug: 'acme-runbook' })
    await reader.fetch('*[slug.current == $slug][0]._id', { slug: '__proto__' })
    await reader.fetch('count(*)')
    const counted = await stats()
    expect(counted.queries).toBe(4)
    expect(counted.bySlug).toEqual(JSON.parse('{"acme-runbook": 2, "__proto__": 1}'))
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
    await control('/__lake/stats/reset', { method: 'POST' })
    expect((await stats()).queries).toBe(0)
  })

  it('adds the simulated round trip to every answer, and refuses a latency that is not 0–10,000 ms', async () => {
    expect((await control('/__lake/latency', { method: 'PUT', body: JSON.stringify({ ms: 120 }) })).status).toBe(200)
    try {
      const started = performance.now()
      await reader.fetch('count(*)')
      expect(performance.now() - started).toBeGreaterThanOrEqual(110)
      expect((await stats()).latencyMs).toBe(120)
    } finally {
      await control('/__lake/latency', { method: 'PUT', body: JSON.stringify({ ms: 0 }) })
    }
    for (const ms of [-1, 1.5, '50', null, 10_001, 1e9]) {
      expect((await control('/__lake/latency', { method: 'PUT', body: JSON.stringify({ ms }) })).status, String(ms)).toBe(400)
    }
    expect((await control('/__lake/latency', { method: 'PUT', body: '{not json' })).status).toBe(400)
    expect((await stats()).latencyMs).toBe(0)
  })

  it('only the write token may use them', async () => {
    for (const token of [null, READ, 'someone-else']) {
      expect((await control('/__lake/stats', {}, token)).status, String(token)).toBeGreaterThanOrEqual(401)
      expect((await control('/__lake/latency', { method: 'PUT', body: JSON.stringify({ ms: 5000 }) }, token)).status).toBeGreaterThanOrEqual(401)
    }
    expect((await stats()).latencyMs).toBe(0)
    expect((await control('/__lake/unknown')).status).toBe(404)
  })
})
