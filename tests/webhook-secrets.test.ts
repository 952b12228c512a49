import { encodeSignatureHeader } from '@sanity/webhook'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { localDefaults } from '@/lib/config/defaults'
import { startSyncEnv, type SyncEnv } from './support/sync-env'

// The embedded defaults' webhook secret is public: a production server never accepts it, even on the
// local lake (e.g. a self-hosted `next start` that forgot SANITY_WEBHOOK_SECRET_ACCESS).

let env: SyncEnv
beforeAll(async () => {
  env = await startSyncEnv('access', { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SANITY_WEBHOOK_SECRET_ACCESS: '' })
})
afterAll(async () => env.close())

it('a delivery signed with the public dev secret is refused in production: the target is not enabled, and says no more than a bad signature', async () => {
  const body = JSON.stringify({ _id: 'memberProfile.dave', _type: 'memberProfile' })
  const response = await env.deliver(null, { rawBody: body, signature: await encodeSignatureHeader(body, Date.now(), localDefaults.webhookSecret) })
  expect(response.status).toBe(401)
  expect((await response.json()).error).toBe('Invalid signature')
})
