import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startRecorder, type Recorder } from './support/recorder'
import { startSyncEnv, type SyncEnv } from './support/sync-env'

// Contract: gatedPage.okta → Okta Groups API calls made by the real @okta/okta-sdk-nodejs
// (orgUrl = recorder), and the group id written back to the Sanity document.

let env: SyncEnv
let oktaApi: Recorder
const page = { _id: 'gatedPage.partner-onboarding', _type: 'gatedPage' }
const profile = { name: 'content:partner-onboarding', description: 'Gatehouse readers of "Partner onboarding"' }

beforeAll(async () => {
  oktaApi = await startRecorder()
  env = await startSyncEnv('okta', { OKTA_ORG_URL: oktaApi.url, OKTA_API_TOKEN: 'okta-contract-token' })
})
afterAll(async () => Promise.all([env.close(), oktaApi.close()]))
beforeEach(() => {
  oktaApi.reset()
  oktaApi.on('GET', '/api/v1/groups', { body: [] })
  oktaApi.on('POST', '/api/v1/groups', { body: { id: '00gcontract1', profile } })
  oktaApi.on('PUT', /^\/api\/v1\/groups\/\w+$/, (call) => ({ body: { id: call.path.split('/').pop(), profile } }))
  oktaApi.on('DELETE', /^\/api\/v1\/groups\/\w+$/, { status: 204 })
})

const calls = () =>
  oktaApi.calls.map(({ method, path, query, body }) => ({
    method,
    path,
    ...(Object.keys(query).length ? { query } : {}),
    ...(body === undefined ? {} : { body }),
  }))
const oktaField = async () =>
  (
    await (
      await fetch(`${env.lake.url}/v2025-02-19/data/query/production?query=${encodeURIComponent('*[_id == "gatedPage.partner-onboarding"][0].okta')}`, {
        headers: { authorization: 'Bearer read-token' },
      })
    ).json()
  ).result

describe('okta target', () => {
  it('creates the group once and writes its id back to Sanity', async () => {
    const response = await env.deliver(page, { operation: 'update' })
    expect(response.status).toBe(200)
    expect(calls()).toEqual([
      { method: 'GET', path: '/api/v1/groups', query: { q: 'content:partner-onboarding', limit: '10' } },
      { method: 'POST', path: '/api/v1/groups', body: { profile } },
    ])
    expect(oktaApi.calls[1]!.headers.authorization).toBe('SSWS okta-contract-token')
    expect(await oktaField()).toEqual({ active: true, groupId: '00gcontract1', groupName: 'content:partner-onboarding' })
  })

  it('a later publish (or re-delivery) replaces the profile of that group, no new group', async () => {
    await env.deliver(page)
    await env.deliver(page)
    expect(calls()).toEqual([
      { method: 'PUT', path: '/api/v1/groups/00gcontract1', body: { profile } },
      { method: 'PUT', path: '/api/v1/groups/00gcontract1', body: { profile } },
    ])
  })

  it('an inactive mapping is skipped (204), nothing called', async () => {
    await env.mutate([{ patch: { id: 'gatedPage.partner-onboarding', set: { 'okta.active': false } } }])
    expect((await env.deliver(page)).status).toBe(204)
    expect(calls()).toHaveLength(0)
    await env.mutate([{ patch: { id: 'gatedPage.partner-onboarding', set: { 'okta.active': true } } }])
  })

  it('a group deleted in Okta is found again by name or recreated', async () => {
    oktaApi.on('PUT', '/api/v1/groups/00gcontract1', { status: 404, body: { errorCode: 'E0000007', errorSummary: 'Not found' } })
    oktaApi.on('GET', '/api/v1/groups', { body: [{ id: '00gfound2', profile }] })
    expect((await env.deliver(page)).status).toBe(200)
    expect(calls().map((c) => `${c.method} ${c.path}`)).toEqual(['PUT /api/v1/groups/00gcontract1', 'GET /api/v1/groups', 'PUT /api/v1/groups/00gfound2'])
    expect((await oktaField()).groupId).toBe('00gfound2')
  })

  it('deleting the doc deletes the group Gatehouse synced for it (never one a payload names)', async () => {
    await env.remove(page._id)
    try {
      const response = await env.deliver({ ...page, okta: { active: true, groupId: '00gsomeoneelse' } }, { operation: 'delete' })
      expect(response.status).toBe(200)
      expect(calls()).toEqual([{ method: 'DELETE', path: '/api/v1/groups/00gfound2' }])
    } finally {
      await env.restore(page._id)
    }
  })

  it('Okta 429 → 503 (no SDK-side retry storm); recovers on re-delivery', async () => {
    oktaApi.fail({
      status: 429,
      body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit' },
      headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 1) },
    })
    const limited = await env.deliver(page)
    expect(limited.status).toBe(503)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    oktaApi.fail(null)
    oktaApi.calls.length = 0
    expect((await env.deliver(page)).status).toBe(200)
    expect(calls().filter((c) => c.method !== 'GET')).toHaveLength(1)
  })
})
