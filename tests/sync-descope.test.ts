import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, inFunctionsRuntime, type SyncEnv } from './support/sync-env'

// Contract: Sanity access documents → Descope management API calls made by the real
// @descope/node-sdk (baseUrl = recorder).

let env: SyncEnv
let descope: Recorder
const alice = { _id: 'memberProfile.alice', _type: 'memberProfile', loginIds: { descope: 'U-alice' } }
const erin = { _id: 'memberProfile.erin', _type: 'memberProfile', loginIds: { descope: 'U-erin' } }

beforeAll(async () => {
  descope = await startRecorder()
  env = await startSyncEnv('descope', { DESCOPE_PROJECT_ID: 'P2contract', DESCOPE_MANAGEMENT_KEY: 'K2contract', DESCOPE_BASE_URL: descope.url })
})
afterAll(async () => Promise.all([env.close(), descope.close()]))
beforeEach(() => descope.reset())

// The SDK's own license handshake is not a change; everything else is.
const calls = () =>
  descope.calls
    .filter((c) => c.path !== '/v1/mgmt/license')
    .map(({ method, path, query, body }) => ({ method, path, ...(Object.keys(query).length ? { query } : {}), ...(body === undefined ? {} : { body }) }))

describe('descope target: memberProfile', () => {
  it('patches roles (in the tenant), tenant membership and custom attributes', async () => {
    descope.on('PATCH', '/v1/mgmt/user/patch', { body: { user: {} } })
    const response = await env.deliver(alice, { operation: 'create' })
    expect(response.status).toBe(200)
    expect(calls()).toEqual([
      {
        method: 'PATCH',
        path: '/v1/mgmt/user/patch',
        body: {
          loginId: 'U-alice',
          roleNames: [],
          userTenants: [{ tenantId: 'acme', roleNames: ['partner_admin'] }],
          customAttributes: { plan: 'pro', locale: 'en-US', region: 'eu', onboardingStage: 'active' },
        },
      },
    ])
    expect(descope.calls[0]!.headers.authorization).toBe('Bearer P2contract:K2contract')
  })

  it('without a tenant the roles are project roles; a re-delivery repeats the same patch', async () => {
    await env.deliver(erin)
    await env.deliver(erin)
    const [first, second] = calls()
    expect(first).toEqual(second)
    expect(first!.body).toMatchObject({ roleNames: ['content_editor'], userTenants: [] })
  })

  it('delete strips roles, tenants and attributes', async () => {
    await env.deliver(alice)
    await env.remove(alice._id)
    descope.reset()
    try {
      expect((await env.deliver(alice, { operation: 'delete' })).status).toBe(200)
    } finally {
      await env.restore(alice._id)
    }
    expect(calls()).toEqual([
      {
        method: 'PATCH',
        path: '/v1/mgmt/user/patch',
        body: { loginId: 'U-alice', roleNames: [], userTenants: [], customAttributes: { plan: '', locale: '', region: '', onboardingStage: '' } },
      },
    ])
  })

  it('Descope 429 → 503 with its Retry-After; 400 → 422 and not retried', async () => {
    descope.fail({ status: 429, body: { errorCode: 'E130429', errorDescription: 'Too many requests' }, headers: { 'retry-after': '17' } })
    const limited = await env.deliver(alice)
    expect(limited.status).toBe(503)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    descope.fail({ status: 400, body: { errorCode: 'E011002', errorDescription: 'bad request' } })
    expect((await env.deliver(alice)).status).toBe(422)
    descope.fail({ hang: true })
    expect((await env.deliver(alice)).status).toBe(503)
    descope.fail(null)
    descope.reset()
    expect((await env.deliver(alice)).status).toBe(200)
    expect(calls()).toHaveLength(1)
  })
})

describe('descope target: organizationProfile and accessRole', () => {
  it('creates a missing tenant with its Sanity id and name', async () => {
    descope.on('GET', '/v1/mgmt/tenant', { status: 404, body: { errorCode: 'E117001', errorDescription: 'Tenant not found' } })
    const response = await env.deliver({ _id: 'organizationProfile.acme', _type: 'organizationProfile' })
    expect(response.status).toBe(200)
    expect(calls()).toEqual([
      { method: 'GET', path: '/v1/mgmt/tenant', query: { id: 'acme' } },
      { method: 'POST', path: '/v1/mgmt/tenant/create', body: { id: 'acme', name: 'Acme Corporation' } },
    ])
  })

  it('renames an existing tenant, keeping the fields Gatehouse does not own; same name → no-op', async () => {
    descope.on('GET', '/v1/mgmt/tenant', { body: { id: 'acme', name: 'ACME old', selfProvisioningDomains: ['acme.test'], customAttributes: { tier: 'gold' } } })
    expect((await env.deliver({ _id: 'organizationProfile.acme', _type: 'organizationProfile' })).status).toBe(200)
    expect(calls()[1]).toMatchObject({
      method: 'POST',
      path: '/v1/mgmt/tenant/update',
      body: { id: 'acme', name: 'Acme Corporation', selfProvisioningDomains: ['acme.test'], customAttributes: { tier: 'gold' } },
    })
    descope.reset()
    descope.on('GET', '/v1/mgmt/tenant', { body: { id: 'acme', name: 'Acme Corporation' } })
    expect((await env.deliver({ _id: 'organizationProfile.acme', _type: 'organizationProfile' })).status).toBe(204)
    expect(calls()).toHaveLength(1)
  })

  it('ensures a role exists, once', async () => {
    descope.on('GET', '/v1/mgmt/role/all', { body: { roles: [{ name: 'customer_viewer', description: 'Reads customer documentation.' }] } })
    expect((await env.deliver({ _id: 'accessRole.customer_viewer', _type: 'accessRole' })).status).toBe(204)
    expect((await env.deliver({ _id: 'accessRole.partner_admin', _type: 'accessRole' })).status).toBe(200)
    expect(calls().filter((c) => c.method === 'POST')).toEqual([
      { method: 'POST', path: '/v1/mgmt/role/create', body: { name: 'partner_admin', description: 'Administers a partner account.' } },
    ])
  })

  it.skipIf(inFunctionsRuntime)('a forged or draft delivery calls nothing', async () => {
    expect((await env.deliver(alice, { signature: null })).status).toBe(401)
    expect((await env.deliver({ ...alice, _id: 'drafts.memberProfile.alice' })).status).toBe(204)
    expect(calls()).toHaveLength(0)
  })
})
