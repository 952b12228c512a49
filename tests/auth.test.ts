import { EncryptJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { safeReturnTo } from '@/lib/auth/return-to'
import { readSession, readTransaction, sealSession, sealTransaction } from '@/lib/auth/session'
import { viewerFromClaims, type Viewer } from '@/lib/auth/viewer'
import { ConfigError, parseConfig } from '@/lib/config'

const names = { roles: 'roles', tenant: 'tenant', plan: 'plan' }
const secret = 'test-secret-that-is-at-least-32-characters-long'
const viewer: Viewer = { subject: 'local|alice', email: 'a@x.test', name: 'Alice', roles: ['partner_admin'], tenant: 'acme', plan: 'pro', provider: 'local' }

describe('viewerFromClaims', () => {
  it('maps the configured claims and sorts roles', () => {
    expect(viewerFromClaims({ sub: 's', roles: ['b', 'a', 'a'], tenant: 'acme', plan: 'pro', email: 'e@x' }, names, 'local')).toEqual({
      subject: 's', email: 'e@x', name: null, roles: ['a', 'b'], tenant: 'acme', plan: 'pro', provider: 'local',
    })
  })
  it('reads claims under other names (e.g. Okta groups)', () => {
    const v = viewerFromClaims({ sub: 's', groups: 'x y', org: 'globex' }, { roles: 'groups', tenant: 'org', plan: 'plan' }, 'oidc')
    expect(v).toMatchObject({ roles: ['x', 'y'], tenant: 'globex', plan: null })
  })
  it('malformed claims grant nothing', () => {
    const v = viewerFromClaims({ sub: 's', roles: { admin: true }, tenant: 42, plan: ['pro'] }, names, 'local')
    expect(v).toMatchObject({ roles: [], tenant: null, plan: null })
  })
  it('refuses a token without a subject', () => {
    expect(() => viewerFromClaims({ roles: ['a'] }, names, 'local')).toThrow(/subject/)
  })
})

describe('session cookie', () => {
  it('round-trips a viewer', async () => {
    const token = await sealSession(viewer, 'id.token', { secret, maxAgeSeconds: 60 })
    expect(await readSession(token, secret)).toMatchObject({ viewer, idToken: 'id.token' })
  })
  it('refuses a tampered, foreign, expired or missing cookie', async () => {
    const token = await sealSession(viewer, null, { secret, maxAgeSeconds: 60 })
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect(await readSession(tampered, secret)).toBeNull()
    expect(await readSession(token, secret.replace('test', 'evil'))).toBeNull()
    expect(await readSession(undefined, secret)).toBeNull()
    expect(await readSession('not-a-jwe', secret)).toBeNull()
    const expired = await sealSession(viewer, null, { secret, maxAgeSeconds: -10 })
    expect(await readSession(expired, secret)).toBeNull()
  })
  it('a sign-in transaction cookie cannot be replayed as a session', async () => {
    const tx = await sealTransaction({ state: 's'.repeat(43), nonce: 'n'.repeat(43), codeVerifier: 'v'.repeat(43), returnTo: '/' }, secret)
    expect(await readTransaction(tx, secret)).not.toBeNull()
    expect(await readSession(tx, secret)).toBeNull()
  })
  it('a well-encrypted payload of the wrong shape is refused', async () => {
    const { hkdfSync } = await import('node:crypto')
    const key = new Uint8Array(hkdfSync('sha256', secret, 'gatehouse', 'gatehouse session v1', 32))
    const forged = await new EncryptJWT({ viewer: { subject: 'x', roles: 'admin' } }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setExpirationTime('1h').encrypt(key)
    expect(await readSession(forged, secret)).toBeNull()
  })
})

describe('safeReturnTo', () => {
  it.each([
    ['/docs/a?x=1#h', '/docs/a?x=1#h'],
    ['https://evil.test/', '/'],
    ['//evil.test/x', '/'],
    ['/\\evil.test', '/'],
    ['javascript:alert(1)', '/'],
    [null, '/'],
  ])('%s → %s', (input, expected) => expect(safeReturnTo(input)).toBe(expected))
})

describe('parseConfig', () => {
  it('runs on the embedded defaults with no environment', () => {
    const config = parseConfig({})
    expect(config.content).toMatchObject({ mode: 'local', apiHost: 'http://localhost:4001' })
    expect(config.auth).toMatchObject({ provider: 'local', issuer: 'http://localhost:4000' })
    expect(config.secureCookies).toBe(false)
  })
  it('names each missing production variable', () => {
    expect(() => parseConfig({ SANITY_PROJECT_ID: 'abc123' })).toThrow(/SANITY_DATASET is required[\s\S]*SANITY_API_READ_TOKEN is required/)
    expect(() => parseConfig({ AUTH_PROVIDER: 'oidc', OIDC_ISSUER: 'https://idp.test' })).toThrow(/OIDC_CLIENT_ID[\s\S]*SESSION_SECRET/)
    expect(() => parseConfig({ VERCEL: '1' })).toThrow(ConfigError)
    expect(() => parseConfig({ SESSION_SECRET: 'short' })).toThrow(/at least 32 characters/)
  })
  it('uses a real Sanity project when configured', () => {
    const config = parseConfig({ SANITY_PROJECT_ID: 'abc123', SANITY_DATASET: 'production', SANITY_API_READ_TOKEN: 't', APP_BASE_URL: 'https://docs.example.com' })
    expect(config.content).toMatchObject({ mode: 'sanity', projectId: 'abc123', token: 't' })
    expect(config.content.apiHost).toBeUndefined()
    expect(config.secureCookies).toBe(true)
  })
})
