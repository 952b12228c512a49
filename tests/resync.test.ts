import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadSeed } from './access-matrix'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, WEBHOOK_SECRET, type SyncEnv } from './support/sync-env'

// POST /api/sync/resync/[target]: the current state of every document a target syncs, applied through
// the webhook runtime's own pipeline (lock, records) a page at a time — after a first blueprint deploy
// or a switch back from the functions runtime.

let env: SyncEnv
let idp: Recorder
let resyncTarget: (request: Request, target: string) => Promise<Response>

beforeAll(async () => {
  idp = await startRecorder()
  env = await startSyncEnv('local', { LOCAL_IDP_URL: idp.url, SANITY_WEBHOOK_SECRET_ACCESS: 'access-only-secret-0123456789' }, { runtime: 'webhook' })
  ;({ resyncTarget } = await import('@/lib/sync/handle'))
})
afterAll(async () => {
  await Promise.all([env.close(), idp.close()])
})
beforeEach(() => idp.reset())

const MEMBERS = loadSeed()
  .filter((doc) => doc._type === 'memberProfile')
  .map((doc) => (doc as unknown as { loginIds: { local: string } }).loginIds.local)
  .sort()

type Page = { applied: number; unchanged: number; failed: { id: string; status: number; error: string }[]; next: string | null; error?: string }

const resync = (query = '', { token = WEBHOOK_SECRET, target = 'local' }: { token?: string | null; target?: string } = {}) =>
  resyncTarget(
    new Request(`http://app/api/sync/resync/${target}${query}`, { method: 'POST', headers: token === null ? {} : { authorization: `Bearer ${token}` } }),
    target,
  )

describe('resync', () => {
  it('applies every document the target syncs, with its current grants', async () => {
    const response = await resync()
    expect(response.status).toBe(200)
    const page = (await response.json()) as Page
    expect(page).toMatchObject({ applied: MEMBERS.length, unchanged: 0, failed: [], next: null })
    expect(idp.calls.map((c) => decodeURIComponent(c.path.replace('/admin/users/', ''))).sort()).toEqual(MEMBERS)
    expect(idp.calls.find((c) => c.path === '/admin/users/dave')!.body).toEqual({ roles: ['beta_tester'], tenant: 'globex', plan: 'pro', region: 'us' })
  })

  it('pages in _id order; following `next` covers every document exactly once', async () => {
    const seen: string[] = []
    let after = ''
    for (let round = 0; round < 10; round++) {
      const page = (await (await resync(`?limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`)).json()) as Page
      seen.push(...idp.calls.splice(0).map((c) => c.path.replace('/admin/users/', '')))
      if (!page.next) break
      after = page.next
    }
    expect(seen.sort()).toEqual(MEMBERS)
  })

  it('rewrites the records a later delete revokes (a stale one from the functions era is corrected)', async () => {
    // As if the profile named another user while functions ran: the store still says "mallory".
    const { storedRecord } = await import('@/lib/sync/records')
    await storedRecord('local', 'memberProfile.dave').remember({ loginIds: { local: 'mallory' } })
    expect((await resync('?after=memberProfile.carol&limit=1')).status).toBe(200)
    idp.reset()
    await env.remove('memberProfile.dave')
    try {
      expect((await env.deliver({ _id: 'memberProfile.dave', _type: 'memberProfile' }, { operation: 'delete' })).status).toBe(200)
      expect(idp.calls.map((c) => c.path)).toEqual(['/admin/users/dave'])
    } finally {
      await env.restore('memberProfile.dave')
    }
  })

  it('a document that does not validate is listed and skipped; the others are applied', async () => {
    await env.mutate([{ createOrReplace: { _id: 'memberProfile.zz-bad', _type: 'memberProfile', loginIds: { local: 'has spaces; and more' } } }])
    try {
      const page = (await (await resync()).json()) as Page
      expect(page.applied).toBe(MEMBERS.length)
      expect(page.failed).toEqual([{ id: 'memberProfile.zz-bad', status: 422, error: expect.stringMatching(/Malformed memberProfile/) }])
    } finally {
      await env.remove('memberProfile.zz-bad')
    }
  })

  it('the IdP failing stops the page with 503 and where to resume; resuming applies the rest', async () => {
    let served = 0
    idp.on('PUT', /^\/admin\/users\//, () => (served++ >= 2 ? { status: 503 } : undefined))
    const failed = await resync()
    expect(failed.status).toBe(503)
    expect(Number(failed.headers.get('retry-after'))).toBeGreaterThan(0)
    const page = (await failed.json()) as Page
    expect(page).toMatchObject({ applied: 2, next: 'memberProfile.bob' })
    idp.reset()
    const resumed = (await (await resync(`?after=${page.next}`)).json()) as Page
    expect(resumed).toMatchObject({ applied: MEMBERS.length - 2, next: null })
    expect(idp.calls.map((c) => c.path)).not.toContain('/admin/users/alice')
  })
})

describe('resync: hostile requests change nothing', () => {
  const cases: [string, () => Promise<Response>, number][] = [
    ['no token', () => resync('', { token: null }), 401],
    ['a wrong token', () => resync('', { token: 'guess' }), 401],
    ['another target’s secret', () => resync('', { token: 'access-only-secret-0123456789' }), 401],
    ['a token differing only in case', () => resync('', { token: WEBHOOK_SECRET.toUpperCase() }), 401],
    ['limit 0', () => resync('?limit=0'), 400],
    ['limit past the maximum', () => resync('?limit=1000'), 400],
    ['a limit that is not a number', () => resync('?limit=ten'), 400],
    ['a fractional limit', () => resync('?limit=2.5'), 400],
    ['GROQ in `after`', () => resync(`?after=${encodeURIComponent('"] || true || ["')}`), 400],
    // Before authenticating, an unknown or disabled target answers as a wrong token does.
    ['an unknown target', () => resync('', { target: 'keycloak' }), 401],
    ['a target not enabled', () => resync('', { target: 'descope' }), 401],
    ['a target not enabled, with the enabled one’s secret', () => resync('', { target: 'okta' }), 401],
    ['a target named like an object key', () => resync('', { target: 'constructor' }), 401],
  ]
  for (const [name, send, status] of cases) {
    it(`${name} → ${status}`, async () => {
      const response = await send()
      expect(response.status).toBe(status)
      expect(((await response.json()) as Page).error).toEqual(expect.any(String))
      expect(idp.calls).toHaveLength(0)
    })
  }
})
