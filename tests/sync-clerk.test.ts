import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, inFunctionsRuntime, type SyncEnv } from './support/sync-env'

// Contract: entitlement → Clerk Backend API calls made by the real @clerk/backend (apiUrl = recorder).

let env: SyncEnv
let clerk: Recorder
const carol = { _id: 'entitlement.carol', _type: 'entitlement', clerkUserId: 'user_carol', clerkOrganizationId: 'org_acme0001' }
const metadata = { plan: 'enterprise', role: 'customer_admin', docSlugs: ['admin-guide', 'enterprise-sso'] }

beforeAll(async () => {
  clerk = await startRecorder()
  env = await startSyncEnv('clerk', { CLERK_SECRET_KEY: 'sk_test_contract', CLERK_API_URL: clerk.url })
})
afterAll(async () => Promise.all([env.close(), clerk.close()]))
beforeEach(() => {
  clerk.reset()
  clerk.on('PATCH', /^\/v1\/users\/[^/]+\/metadata$/, { body: { id: 'user_carol', object: 'user' } })
  clerk.on('PATCH', /^\/v1\/organizations\/[^/]+\/metadata$/, { body: { id: 'org_acme0001', object: 'organization' } })
})

const calls = () => clerk.calls.map(({ method, path, body }) => ({ method, path, body }))

describe('clerk target', () => {
  it('create/update: user and organization public metadata, references resolved', async () => {
    const response = await env.deliver(carol, { operation: 'create' })
    expect(response.status).toBe(200)
    expect(calls()).toEqual([
      { method: 'PATCH', path: '/v1/users/user_carol/metadata', body: { public_metadata: metadata } },
      { method: 'PATCH', path: '/v1/organizations/org_acme0001/metadata', body: { public_metadata: metadata } },
    ])
    expect(clerk.calls[0]!.headers.authorization).toBe('Bearer sk_test_contract')
  })

  it('re-delivery sends identical calls (set semantics)', async () => {
    await env.deliver(carol)
    const first = calls()
    clerk.calls.length = 0
    await env.deliver(carol)
    expect(calls()).toEqual(first)
  })

  it('a plan downgrade rewrites the plan', async () => {
    await env.mutate([{ patch: { id: 'entitlement.carol', set: { plan: { _type: 'reference', _ref: 'accessPlan.free' } } } }])
    await env.deliver(carol)
    expect(calls()[0]!.body).toEqual({ public_metadata: { ...metadata, plan: 'free' } })
    await env.mutate([{ patch: { id: 'entitlement.carol', set: { plan: { _type: 'reference', _ref: 'accessPlan.enterprise' } } } }])
  })

  it('delete removes the synced keys (null deletes under deep merge)', async () => {
    await env.remove(carol._id)
    let response: Response
    try {
      response = await env.deliver({ ...carol, clerkUserId: 'user_alice' }, { operation: 'delete' })
    } finally {
      await env.restore(carol._id)
    }
    expect(response.status).toBe(200)
    const removed = { public_metadata: { plan: null, role: null, docSlugs: null } }
    expect(calls()).toEqual([
      { method: 'PATCH', path: '/v1/users/user_carol/metadata', body: removed },
      { method: 'PATCH', path: '/v1/organizations/org_acme0001/metadata', body: removed },
    ])
  })

  it('Clerk 429/5xx → 503 with Retry-After; 4xx → 422, not retried', async () => {
    clerk.fail({ status: 429, body: { errors: [{ code: 'too_many_requests', message: 'slow down' }] } })
    const limited = await env.deliver(carol)
    expect(limited.status).toBe(503)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    clerk.fail({ status: 502, body: {} })
    expect((await env.deliver(carol)).status).toBe(503)
    clerk.fail({ status: 404, body: { errors: [{ code: 'resource_not_found', message: 'not found' }] } })
    expect((await env.deliver(carol)).status).toBe(422)
    clerk.fail(null)
    clerk.calls.length = 0
    expect((await env.deliver(carol)).status).toBe(200)
    expect(clerk.calls).toHaveLength(2)
  })

  it('refuses a malformed Clerk user id before calling Clerk', async () => {
    await env.mutate([{ createOrReplace: { _id: 'entitlement.bad', _type: 'entitlement', clerkUserId: 'user_1/../../admin' } }])
    expect((await env.deliver({ _id: 'entitlement.bad', _type: 'entitlement' })).status).toBe(422)
    expect(clerk.calls).toHaveLength(0)
  })

  it.skipIf(inFunctionsRuntime)('a forged delivery makes no call', async () => {
    expect((await env.deliver(carol, { secret: 'forged' })).status).toBe(401)
    expect(clerk.calls).toHaveLength(0)
  })
})
