import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, type SyncEnv } from './support/sync-env'

// Contract: accessPolicy → Auth0 Management API calls made by the real `auth0` ManagementClient. It
// only speaks https to `https://{domain}`, so the recorder serves https with a throwaway certificate
// that this test process trusts.

let env: SyncEnv
let auth0: Recorder
let certDir: string
const acme = { _id: 'accessPolicy.acme', _type: 'accessPolicy', auth0OrganizationId: 'org_acme0001' }

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'auth0-cert-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      join(certDir, 'key.pem'),
      '-out',
      join(certDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  )
  const tls = { key: readFileSync(join(certDir, 'key.pem'), 'utf8'), cert: readFileSync(join(certDir, 'cert.pem'), 'utf8') }
  setDefaultCACertificates([...getCACertificates('default'), tls.cert])
  auth0 = await startRecorder({ tls })
  env = await startSyncEnv('auth0', {
    AUTH0_DOMAIN: new URL(auth0.url).host,
    AUTH0_MANAGEMENT_CLIENT_ID: 'm2m-contract',
    AUTH0_MANAGEMENT_CLIENT_SECRET: 'm2m-contract-secret',
  })
})
afterAll(async () => {
  await Promise.all([env.close(), auth0.close()])
  rmSync(certDir, { recursive: true, force: true })
})
beforeEach(() => {
  auth0.reset()
  auth0.on('POST', '/oauth/token', { body: { access_token: 'mgmt-token', token_type: 'Bearer', expires_in: 86400 } })
  auth0.on('GET', '/api/v2/organizations/org_acme0001', { body: { id: 'org_acme0001', name: 'acme', metadata: { crm: 'sf-123', plan: 'old' } } })
  auth0.on('PATCH', '/api/v2/organizations/org_acme0001', (call) => ({ body: { id: 'org_acme0001', ...(call.body as object) } }))
})

const apiCalls = () =>
  auth0.calls.filter((c) => c.path.startsWith('/api/v2/')).map(({ method, path, body }) => ({ method, path, ...(body === undefined ? {} : { body }) }))

describe('auth0 target', () => {
  it('merges {plan, role, contentTags} into the organization metadata, keeping foreign keys', async () => {
    const response = await env.deliver(acme, { operation: 'create' })
    expect(response.status).toBe(200)
    expect(apiCalls()).toEqual([
      { method: 'GET', path: '/api/v2/organizations/org_acme0001' },
      {
        method: 'PATCH',
        path: '/api/v2/organizations/org_acme0001',
        body: { metadata: { crm: 'sf-123', plan: 'enterprise', role: 'customer_viewer', contentTags: '["runbooks","sso"]' } },
      },
    ])
    const patch = auth0.calls.find((c) => c.method === 'PATCH')!
    expect(patch.headers.authorization).toBe('Bearer mgmt-token')
  })

  it('re-delivery writes the same metadata (set semantics)', async () => {
    await env.deliver(acme)
    await env.deliver(acme)
    const patches = apiCalls().filter((c) => c.method === 'PATCH')
    expect(patches).toHaveLength(2)
    expect(patches[0]).toEqual(patches[1])
  })

  it('inactive or deleted policies remove Gatehouse’s keys only', async () => {
    await env.mutate([{ patch: { id: 'accessPolicy.acme', set: { status: 'inactive' } } }])
    await env.deliver(acme)
    await env.mutate([{ patch: { id: 'accessPolicy.acme', set: { status: 'active' } } }])
    await env.remove('accessPolicy.acme')
    try {
      await env.deliver(acme, { operation: 'delete' })
    } finally {
      await env.restore('accessPolicy.acme')
    }
    const patches = apiCalls().filter((c) => c.method === 'PATCH')
    expect(patches.map((p) => p.body)).toEqual([{ metadata: { crm: 'sf-123' } }, { metadata: { crm: 'sf-123' } }])
  })

  it('refuses with 422 before calling Auth0 when its metadata limits would break', async () => {
    await env.mutate([{ patch: { id: 'accessPolicy.acme', set: { allowedContentTags: Array.from({ length: 40 }, (_, i) => `tag-number-${i}`) } } }])
    const response = await env.deliver(acme)
    expect(response.status).toBe(422)
    expect((await response.json()).error).toMatch(/255 characters/)
    expect(apiCalls().filter((c) => c.method === 'PATCH')).toHaveLength(0)
    auth0.on('GET', '/api/v2/organizations/org_acme0001', {
      body: { id: 'org_acme0001', metadata: Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`k${i}`, 'v'])) },
    })
    await env.mutate([{ patch: { id: 'accessPolicy.acme', set: { allowedContentTags: ['runbooks'] } } }])
    const tooMany = await env.deliver(acme)
    expect(tooMany.status).toBe(422)
    expect((await tooMany.json()).error).toMatch(/allows 25/)
    expect(apiCalls().filter((c) => c.method === 'PATCH')).toHaveLength(0)
    await env.mutate([{ patch: { id: 'accessPolicy.acme', set: { allowedContentTags: ['runbooks', 'sso'] } } }])
  })

  it('a hung token endpoint is bounded by SYNC_TIMEOUT_MS like every call (not the SDK’s own 10 s)', async () => {
    const { auth0Target } = await import('@/lib/sync/targets/auth0')
    const { TargetUnavailable } = await import('@/lib/sync/errors')
    auth0.on('POST', '/oauth/token', { hang: true })
    // A fresh client: no token cached yet.
    const target = auth0Target(
      { domain: new URL(auth0.url).host, clientId: 'm2m-fresh', clientSecret: 'm2m-fresh-secret' },
      { timeoutMs: 300, sanityWriter: () => undefined as never },
    )
    const started = performance.now()
    try {
      await expect(
        target.handlers.accessPolicy!.apply({
          _id: 'accessPolicy.acme',
          auth0OrganizationId: 'org_acme0001',
          plan: 'pro',
          role: null,
          allowedContentTags: [],
          status: 'active',
        }),
      ).rejects.toBeInstanceOf(TargetUnavailable)
      expect(performance.now() - started).toBeLessThan(5_000)
      expect(apiCalls()).toHaveLength(0)
    } finally {
      auth0.fail(null) // releases the hung request
    }
  })

  it('Auth0 429 / 503 / hang → 503; after the fault clears one re-delivery applies once', async () => {
    for (const fault of [{ status: 429, body: { statusCode: 429, error: 'Too Many Requests' } }, { status: 503, body: {} }, { hang: true }]) {
      auth0.fail(fault)
      const response = await env.deliver(acme)
      expect(response.status, JSON.stringify(fault)).toBe(503)
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    }
    auth0.fail(null)
    auth0.calls.length = 0
    expect((await env.deliver(acme)).status).toBe(200)
    expect(apiCalls().filter((c) => c.method === 'PATCH')).toHaveLength(1)
  })
})
