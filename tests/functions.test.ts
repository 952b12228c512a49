import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, WEBHOOK_SECRET, type SyncEnv } from './support/sync-env'

// What only the Sanity Functions runtime has (SYNC_RUNTIME=functions): its own abuse cases (an event
// it cannot use), convergence without a shared store, the access target handing its events to the
// app, its configuration errors, the exported handler, and the Sanity CLI's own `functions test`
// running it against the local lake and a recorder as the local IdP. The shared contract, abuse and
// fault tests run in this runtime too (vitest.config.ts, project sync:functions).

let env: SyncEnv
let idp: Recorder

beforeAll(async () => {
  idp = await startRecorder()
  env = await startSyncEnv('local', { LOCAL_IDP_URL: idp.url, SANITY_WEBHOOK_SECRET_ACCESS: WEBHOOK_SECRET }, { runtime: 'functions' })
})
afterAll(async () => {
  await Promise.all([env.close(), idp.close()])
})
beforeEach(() => idp.reset())

const DAVE_GRANTS = { roles: ['beta_tester'], tenant: 'globex', plan: 'pro', region: 'us' }
const NO_GRANTS = { roles: [], tenant: null, plan: null, region: null }
const dave = { _id: 'memberProfile.dave', _type: 'memberProfile' }

async function invoke(data: unknown, target = 'local', extraEnv: Record<string, string | undefined> = {}) {
  const { runSyncFunction } = await import('@/lib/sync/function')
  const context = { clientOptions: { apiHost: env.lake.url, projectId: 'local', dataset: 'production', token: 'write-token' } }
  return runSyncFunction({ context, event: { data } }, { ...env.functionEnv(target), ...extraEnv })
}

describe('an event the function cannot use is refused (4xx, not retried) and calls nothing', () => {
  const event = { ...dave, _rev: 'r1', operation: 'update', before: { loginIds: { local: 'dave' } } }
  const cases: [string, unknown, number][] = [
    ['no data', undefined, 400],
    ['not an object', 'memberProfile.dave', 400],
    ['no _id', { ...event, _id: undefined }, 400],
    ['GROQ injection in the id', { ...event, _id: 'memberProfile.dave"] || true || ["' }, 400],
    ['an id with a path', { ...event, _id: '../../admin' }, 400],
    ['an overlong id', { ...event, _id: `memberProfile.${'x'.repeat(200)}` }, 400],
    ['an unknown operation', { ...event, operation: 'purge' }, 400],
    ['no operation (a projection without delta::operation())', { ...event, operation: undefined }, 400],
    ['`before` that is not an object', { ...event, before: 'alice' }, 400],
    ['a type the target does not sync', { ...event, _type: 'gatedPage', _id: 'gatedPage.member-faq' }, 400],
    ['a type name that is not one', { ...event, _type: 'memberProfile; drop' }, 400],
  ]
  for (const [name, data, status] of cases) {
    it(`${name} → ${status}`, async () => {
      const outcome = await invoke(data)
      expect(outcome.status).toBe(status)
      expect((outcome.body as { error: string }).error).toEqual(expect.any(String))
      expect(idp.calls).toHaveLength(0)
    })
  }

  it('a draft or release version is skipped (204)', async () => {
    for (const _id of ['drafts.memberProfile.dave', 'versions.r1.memberProfile.dave']) {
      expect((await invoke({ ...event, _id })).status).toBe(204)
    }
    expect(idp.calls).toHaveLength(0)
  })

  it('a `before` that does not parse as the target’s record revokes nobody', async () => {
    const outcome = await invoke({ ...event, before: { loginIds: { local: 'has spaces; and more' } } })
    expect(outcome.status).toBe(200)
    expect(idp.calls.map((c) => [c.path, c.body])).toEqual([['/admin/users/dave', DAVE_GRANTS]])
  })
})

describe('safe under retries without a shared store', () => {
  it('the same event invoked twice sets the same values twice (set semantics)', async () => {
    const event = { ...dave, _rev: 'r1', operation: 'update', before: { loginIds: { local: 'dave' } } }
    expect((await invoke(event)).status).toBe(200)
    expect((await invoke(event)).status).toBe(200)
    expect(idp.calls.map((c) => c.body)).toEqual([DAVE_GRANTS, DAVE_GRANTS])
  })

  it('a retried delete revokes again: harmless, and nothing else is touched', async () => {
    await env.remove(dave._id)
    try {
      const event = { ...dave, _rev: 'r9', operation: 'delete', before: { loginIds: { local: 'dave' } } }
      expect((await invoke(event)).status).toBe(200)
      expect((await invoke(event)).status).toBe(200)
      expect(idp.calls.map((c) => [c.path, c.body])).toEqual([
        ['/admin/users/dave', NO_GRANTS],
        ['/admin/users/dave', NO_GRANTS],
      ])
    } finally {
      await env.restore(dave._id)
    }
  })

  it('a document deleted while its update is applied is revoked by that same invocation', async () => {
    let deleted: Promise<void> | undefined
    idp.on('PUT', '/admin/users/dave', (call) => {
      if ((call.body as { roles: string[] }).roles.length > 0) deleted ??= env.remove(dave._id)
      return { status: 200, body: {}, delayMs: 100 }
    })
    try {
      const outcome = await invoke({ ...dave, _rev: 'r1', operation: 'update', before: { loginIds: { local: 'dave' } } })
      expect(outcome.status).toBe(200)
      expect(idp.calls.map((c) => [c.path, c.body])).toEqual([
        ['/admin/users/dave', DAVE_GRANTS],
        ['/admin/users/dave', NO_GRANTS],
      ])
    } finally {
      await deleted
      await env.restore(dave._id)
    }
  })

  it('an update and the delete that follows it, run at once, end revoked (whatever their order at the IdP)', async () => {
    let release: (() => void) | undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    idp.on('PUT', '/admin/users/dave', () => ({ status: 200, body: {}, delayMs: 150 }))
    try {
      const update = invoke({ ...dave, _rev: 'k1', operation: 'update', before: { loginIds: { local: 'dave' } } })
      // The delete is published while the update's grant is on its way.
      setTimeout(() => void env.remove(dave._id).then(() => release!()), 20)
      await gate
      const remove = invoke({ ...dave, _rev: 'k1', operation: 'delete', before: { loginIds: { local: 'dave' } } })
      const outcomes = await Promise.all([update, remove])
      expect(outcomes.map((o) => o.status)).toEqual([200, 200])
      expect(idp.calls.at(-1)!.body).toEqual(NO_GRANTS)
    } finally {
      await env.restore(dave._id)
    }
  })

  it('a run that granted and then cannot confirm it (Sanity gone) takes the grant back and fails', async () => {
    let closed: Promise<void> | undefined
    idp.on('PUT', '/admin/users/dave', (call) => {
      if ((call.body as { roles: string[] }).roles.length > 0) closed ??= env.lake.close()
      return { status: 200, body: {}, delayMs: 50 }
    })
    try {
      const outcome = await invoke({ ...dave, _rev: 'w1', operation: 'update', before: { loginIds: { local: 'dave' } } })
      expect(outcome).toMatchObject({ status: 503, outcome: 'unavailable' })
      expect(idp.calls.map((c) => c.body)).toEqual([DAVE_GRANTS, NO_GRANTS])
    } finally {
      await closed
      await env.restartLake()
    }
  })

  it('an update that lands after a newer one applies the newer state again', async () => {
    let changed: Promise<void> | undefined
    const setRoles = (keys: string[]) =>
      env.mutate([{ patch: { id: dave._id, set: { roles: keys.map((k) => ({ _type: 'reference', _ref: `accessRole.${k}`, _key: k })) } } }])
    idp.on('PUT', '/admin/users/dave', () => {
      changed ??= setRoles(['beta_tester', 'partner_admin'])
      return { status: 200, body: {}, delayMs: 100 }
    })
    try {
      expect((await invoke({ ...dave, _rev: 'r1', operation: 'update', before: { loginIds: { local: 'dave' } } })).status).toBe(200)
      expect(idp.calls.map((c) => (c.body as { roles: string[] }).roles)).toEqual([['beta_tester'], ['beta_tester', 'partner_admin']])
    } finally {
      await changed
      await setRoles(['beta_tester'])
    }
  })
})

describe('the access target: its function hands the event to the app, signed', () => {
  it('the member’s current access is in the app’s store when the invocation returns', async () => {
    const { publishMemberAccess, readMemberAccess } = await import('@/lib/auth/member-access')
    await publishMemberAccess('local', 'dave', { kind: 'profile', profileId: dave._id, grants: { ...DAVE_GRANTS, roles: ['stale'] }, updatedAt: 1 })
    const outcome = await invoke({ ...dave, _rev: 'a1', operation: 'update', before: { loginIds: { local: 'dave' } } }, 'access')
    expect(outcome).toMatchObject({ status: 200, outcome: 'sent-to-app' })
    expect(await readMemberAccess('local', 'dave')).toMatchObject({ kind: 'profile', grants: DAVE_GRANTS })
    expect(idp.calls).toHaveLength(0) // the app's store, never the IdP
  })

  it('a retried event is one delivery to the app (its idempotency key)', async () => {
    const spy = vi.spyOn(globalThis, 'fetch')
    try {
      const event = { ...dave, _rev: 'a2', operation: 'update', before: null }
      expect(await invoke(event, 'access')).toMatchObject({ status: 200, outcome: 'sent-to-app' })
      // The app recognises the repeat and does not apply it again.
      expect(await invoke(event, 'access')).toMatchObject({ status: 200, outcome: 'duplicate-at-app' })
      const sent = spy.mock.calls.filter(([url]) => String(url).endsWith('/api/webhooks/sanity/access'))
      expect(sent).toHaveLength(2)
      const keys = sent.map(([, init]) => new Headers(init?.headers).get('idempotency-key'))
      expect(keys[0]).toBe('function:memberProfile.dave:a2:update')
      expect(keys[1]).toBe(keys[0])
    } finally {
      spy.mockRestore()
    }
  })

  it('a deleted profile: the app records the removal (read again from Sanity, not from the event)', async () => {
    const { readMemberAccess } = await import('@/lib/auth/member-access')
    await env.remove(dave._id)
    try {
      const outcome = await invoke({ ...dave, _rev: 'a3', operation: 'delete', before: { loginIds: { local: 'dave' } } }, 'access')
      expect(outcome.status).toBe(200)
      expect(await readMemberAccess('local', 'dave')).toMatchObject({ kind: 'removed' })
    } finally {
      await env.restore(dave._id)
      await invoke({ ...dave, _rev: 'a4', operation: 'create', before: null }, 'access')
    }
  })

  it('the app refusing the signature (a rotated secret, a skewed clock) fails the invocation: the change is not dropped', async () => {
    const outcome = await invoke({ ...dave, _rev: 'a5', operation: 'update', before: null }, 'access', { SANITY_WEBHOOK_SECRET_ACCESS: 'not-the-app-secret' })
    expect(outcome).toMatchObject({ status: 503, outcome: 'unavailable' })
    expect((outcome.body as { error: string }).error).toMatch(/answered 401 \(check SANITY_WEBHOOK_SECRET_ACCESS/)
  })

  it('the app refusing the event itself (400) is final', async () => {
    const outcome = await invoke({ _id: 'gatedPage.member-faq', _type: 'gatedPage', _rev: 'a7', operation: 'update', before: null }, 'access')
    expect(outcome).toMatchObject({ status: 400, outcome: 'rejected' })
  })

  it('a function reaches the app only over https, or http on a loopback address', async () => {
    for (const APP_BASE_URL of ['http://docs.example.com', 'ftp://127.0.0.1', 'not a url']) {
      const outcome = await invoke({ ...dave, _rev: 'a8', operation: 'update', before: null }, 'access', { APP_BASE_URL })
      expect(outcome, APP_BASE_URL).toMatchObject({ status: 500, outcome: 'misconfigured' })
    }
  })

  it('the app unreachable → 503, so the invocation fails and may be retried', async () => {
    const outcome = await invoke({ ...dave, _rev: 'a6', operation: 'update', before: null }, 'access', { APP_BASE_URL: 'http://127.0.0.1:9' })
    expect(outcome).toMatchObject({ status: 503, outcome: 'unavailable' })
  })
})

describe('the app under SYNC_RUNTIME=functions', () => {
  it('its IdP routes refuse webhooks (a leftover dashboard webhook fails visibly, never applies twice); access is served', async () => {
    const { handleSanityWebhook } = await import('@/lib/sync/handle')
    const { encodeSignatureHeader } = await import('@sanity/webhook')
    const body = JSON.stringify(dave)
    const send = async (target: string) =>
      handleSanityWebhook(
        new Request(`http://app/api/webhooks/sanity/${target}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'sanity-webhook-signature': await encodeSignatureHeader(body, Date.now(), WEBHOOK_SECRET) },
          body,
        }),
        target,
      )
    const local = await send('local')
    expect(local.status).toBe(404)
    expect((await local.json()).error).toBe('The local sync target runs as a Sanity Function (SYNC_RUNTIME=functions)')
    expect((await send('access')).status).toBe(200)
    expect(idp.calls).toHaveLength(0)
  })
})

describe('configuration and the exported handler', () => {
  it('a function env without its target or settings fails naming what is missing, never a value', async () => {
    const lines = vi.spyOn(console, 'info')
    try {
      const event = { ...dave, _rev: 'm1', operation: 'update', before: null }
      const outcomes = [
        await invoke(event, 'local', { SYNC_TARGET: undefined }),
        await invoke(event, 'descope', { DESCOPE_PROJECT_ID: undefined, DESCOPE_MANAGEMENT_KEY: undefined }),
        await invoke(event, 'access', { APP_BASE_URL: undefined }),
      ]
      expect(outcomes.map((o) => [o.status, o.outcome])).toEqual(Array(3).fill([500, 'misconfigured']))
      const errors = outcomes.map((o) => (o.body as { error: string }).error)
      expect(errors[0]).toMatch(/SYNC_TARGET must be one of/)
      expect(errors[1]).toMatch(/DESCOPE_PROJECT_ID is required/)
      expect(errors[2]).toMatch(/APP_BASE_URL is required/)
      // The function's log line says the same, naming variables and never a value.
      const logged = lines.mock.calls.map(([line]) => String(line)).join('\n')
      expect(logged).toMatch(/"outcome":"misconfigured".*DESCOPE_PROJECT_ID is required/)
      expect(logged).not.toContain(WEBHOOK_SECRET)
      expect(idp.calls).toHaveLength(0)
    } finally {
      lines.mockRestore()
    }
  })

  it('functions/gatehouse-sync exports the handler: it resolves when applied, tries a failure again, then throws', async () => {
    const { handler } = await import('@/functions/gatehouse-sync/index')
    const { createSyncFunctionHandler, syncFunctionHandler } = await import('@/lib/sync/function')
    expect(handler).toBe(syncFunctionHandler)
    const quick = createSyncFunctionHandler({ retryDelaysMs: [10, 10] })
    const saved = { ...process.env }
    Object.assign(process.env, env.functionEnv('local'))
    try {
      const context = { clientOptions: { apiHost: env.lake.url, projectId: 'local', dataset: 'production', token: 'read-token' } }
      const envelope = { context, event: { data: { ...dave, _rev: 'h1', operation: 'update', before: null } } }
      await expect(handler(envelope as never)).resolves.toBeUndefined()
      expect(idp.calls).toHaveLength(1)
      idp.reset()
      idp.fail({ status: 500 })
      await expect(quick(envelope as never)).rejects.toThrow(/Sync failed \(503 unavailable\)/)
      expect(idp.calls).toHaveLength(3) // three attempts
      idp.fail(null)
      idp.reset()
      // The IdP failing once: the second attempt applies it, the invocation succeeds.
      let failures = 1
      idp.on('PUT', '/admin/users/dave', () => (failures-- > 0 ? { status: 503 } : undefined))
      await expect(quick(envelope as never)).resolves.toBeUndefined()
      expect(idp.calls.map((c) => c.path)).toEqual(['/admin/users/dave', '/admin/users/dave'])
      // A refused event completes at once (4xx are final), with its reason logged.
      idp.reset()
      await expect(quick({ context, event: { data: { _id: '../x' } } } as never)).resolves.toBeUndefined()
      // A misconfigured function fails at once: nothing to gain from trying again.
      delete process.env.SYNC_TARGET
      await expect(quick(envelope as never)).rejects.toThrow(/misconfigured/)
      expect(idp.calls).toHaveLength(0)
    } finally {
      process.env = saved
    }
  })
})

describe('the Sanity CLI runs the function from sanity.blueprint.ts', () => {
  // `sanity functions test` loads the blueprint, bundles functions/gatehouse-sync with its own bundler,
  // evaluates the event's filter and projection and invokes the handler in a child process. Its API
  // host is pointed at the local lake (SANITY_INTERNAL_ENV) and its token given (SANITY_AUTH_TOKEN).
  it('`npx sanity functions test gatehouse-sync-local` applies a profile change to the IdP', { timeout: 120_000 }, async () => {
    const before = { ...dave, _rev: 'c1', loginIds: { local: 'dave' } }
    const after = { ...before, _rev: 'c2' }
    const run = promisify(execFile)(
      'npx',
      [
        'sanity',
        'functions',
        'test',
        'gatehouse-sync-local',
        '--event',
        'update',
        '--data-before',
        JSON.stringify(before),
        '--data-after',
        JSON.stringify(after),
        '--dataset',
        'production',
        '--with-user-token',
        '--json',
      ],
      {
        env: {
          ...process.env,
          // Vitest's NODE_ENV=test makes the CLI use a placeholder token instead of SANITY_AUTH_TOKEN.
          NODE_ENV: 'development',
          SANITY_TELEMETRY_DISABLED: '1',
          SANITY_INTERNAL_ENV: `${env.lake.url}/`,
          SANITY_AUTH_TOKEN: 'read-token',
          APP_BASE_URL: 'https://docs.example.com',
          SANITY_PROJECT_ID: 'local',
          SANITY_DATASET: 'production',
          SYNC_RUNTIME: 'functions',
          AUTH_PROVIDER: 'local',
          SANITY_WEBHOOK_SECRET_LOCAL: 'cli-test-secret-0123456789',
          SANITY_WEBHOOK_SECRET_ACCESS: 'cli-test-secret-0123456789',
          LOCAL_IDP_URL: idp.url,
          LOCAL_IDP_ADMIN_TOKEN: 'cli-admin-token',
        },
      },
    )
    const { stdout } = await run
      .catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`sanity functions test failed:\n${error.stdout}\n${error.stderr}`)
      })
      // The CLI leaves its bundle directory behind (git-ignored); the tree stays as it was.
      .finally(() => rm(join(import.meta.dirname, '../functions/gatehouse-sync/.build'), { recursive: true, force: true }))
    expect(stdout).not.toMatch(/"error"\s*:\s*\{/)
    expect(idp.calls.map((c) => [c.method, c.path, c.body])).toEqual([['PUT', '/admin/users/dave', DAVE_GRANTS]])
    expect(idp.calls[0]!.headers.authorization).toBe('Bearer cli-admin-token')
  })
})

describe('the local lake runs the sync functions as Sanity would (SYNC_RUNTIME=functions npm run dev)', () => {
  it('invokes each function whose filter matches, with its projection in delta mode, retrying a failure', async () => {
    const { startLake } = await import('@/dev/lake/server')
    const { functionEventDefinitions } = await import('@/sanity/webhooks')
    const { seedFile } = await import('./access-matrix')
    const dir = await mkdtemp(join(tmpdir(), 'lake-functions-'))
    const invoked: [string, unknown][] = []
    let failNext = true
    const lake = await startLake({
      dataFile: join(dir, 'lake.ndjson'),
      seedFile,
      tokens: { w: 'write' },
      functions: {
        definitions: functionEventDefinitions,
        initialBackoffMs: 10,
        async invoke(definition, data) {
          invoked.push([definition.name, data])
          if (definition.name === 'gatehouse-sync-okta' && failNext) {
            failNext = false
            throw new Error('first attempt fails')
          }
        },
      },
    })
    const mutate = async (mutations: unknown[]) => {
      const response = await fetch(`${lake.url}/v2025-02-19/data/mutate/production`, {
        method: 'POST',
        headers: { authorization: 'Bearer w', 'content-type': 'application/json' },
        body: JSON.stringify({ mutations }),
      })
      expect(response.ok).toBe(true)
      await lake.functions!.idle()
    }
    try {
      await mutate([{ patch: { id: 'memberProfile.dave', set: { 'loginIds.local': 'dave2' } } }])
      expect(invoked.map(([name]) => name).sort()).toEqual(['gatehouse-sync-access', 'gatehouse-sync-descope', 'gatehouse-sync-local'])
      expect(invoked[0]![1]).toMatchObject({ _id: 'memberProfile.dave', _type: 'memberProfile', operation: 'update', before: { loginIds: { local: 'dave' } } })

      invoked.length = 0
      await mutate([{ delete: { id: 'gatedPage.partner-onboarding' } }])
      // Okta's function (the page has `okta`) — its failed first attempt is invoked again — and the
      // content cache's, which keeps nothing per document (no `before`).
      const okta = invoked.filter(([name]) => name === 'gatehouse-sync-okta')
      expect(okta).toHaveLength(2)
      expect(okta[0]![1]).toMatchObject({ _id: 'gatedPage.partner-onboarding', operation: 'delete', before: { okta: { active: true } } })
      const content = invoked.filter(([name]) => name === 'gatehouse-sync-content')
      expect(content).toHaveLength(1)
      expect(content[0]![1]).toEqual({ _id: 'gatedPage.partner-onboarding', _type: 'gatedPage', _rev: expect.any(String), operation: 'delete' })
      expect(invoked).toHaveLength(3)
      expect(lake.functions!.invocations.filter((i) => !i.ok)).toHaveLength(1)

      invoked.length = 0
      await mutate([{ createOrReplace: { _id: 'drafts.memberProfile.dave', _type: 'memberProfile', loginIds: { local: 'dave' } } }])
      expect(invoked).toHaveLength(0) // drafts never sync
    } finally {
      await lake.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
