import { EncryptJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { MAX_RETURN_TO_LENGTH, safeReturnTo } from '@/lib/auth/return-to'
import {
  readSessionCookie,
  readSessionRecord,
  readTransaction,
  sealSessionCookie,
  sealSessionRecord,
  sealTransaction,
  type SessionRecord,
} from '@/lib/auth/session'
import { viewerFromClaims, type Identity } from '@/lib/auth/viewer'
import { ConfigError, parseConfig } from '@/lib/config'

const names = { roles: 'roles', tenant: 'tenant', plan: 'plan', region: 'region' }
const secret = 'test-secret-that-is-at-least-32-characters-long'
const identity: Identity = {
  subject: 'alice',
  email: 'a@x.test',
  name: 'Alice',
  roles: ['partner_admin'],
  tenant: 'acme',
  plan: 'pro',
  region: 'eu',
  provider: 'local',
  claimsIssuedAt: 1_700_000_000_000,
  sessionStartedAt: 1_700_000_000_000,
}
const sid = 's'.repeat(43)
const record = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  sid,
  identity,
  idToken: 'id.token',
  refreshToken: 'refresh',
  signedInAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  ...overrides,
})

describe('viewerFromClaims', () => {
  it('maps the configured claims and sorts roles', () => {
    expect(viewerFromClaims({ sub: 's', roles: ['b', 'a', 'a'], tenant: 'acme', plan: 'pro', email: 'e@x', iat: 1_700_000_000 }, names, 'local')).toEqual({
      subject: 's',
      email: 'e@x',
      name: null,
      roles: ['a', 'b'],
      tenant: 'acme',
      plan: 'pro',
      region: null,
      provider: 'local',
      claimsIssuedAt: 1_700_000_000_000,
      sessionStartedAt: 1_700_000_000_000,
    })
  })
  it('reads claims under other names (e.g. Okta groups)', () => {
    const v = viewerFromClaims({ sub: 's', groups: 'x y', org: 'globex', geo: 'apac' }, { roles: 'groups', tenant: 'org', plan: 'plan', region: 'geo' }, 'oidc')
    expect(v).toMatchObject({ roles: ['x', 'y'], tenant: 'globex', plan: null, region: 'apac' })
  })
  it('a token without iat is dated at the epoch (any later removal voids it)', () => {
    expect(viewerFromClaims({ sub: 's' }, names, 'local')).toMatchObject({ claimsIssuedAt: 0, sessionStartedAt: 0 })
    expect(viewerFromClaims({ sub: 's', iat: 10, auth_time: 5 }, names, 'local')).toMatchObject({ claimsIssuedAt: 10_000, sessionStartedAt: 5_000 })
  })
  it('malformed claims grant nothing', () => {
    const v = viewerFromClaims({ sub: 's', roles: { admin: true }, tenant: 42, plan: ['pro'], region: { eu: true } }, names, 'local')
    expect(v).toMatchObject({ roles: [], tenant: null, plan: null, region: null })
  })
  it('refuses a token without a subject', () => {
    expect(() => viewerFromClaims({ roles: ['a'] }, names, 'local')).toThrow(/subject/)
  })
})

describe('session cookie and server-side record', () => {
  it('the cookie names a session id; the record round-trips', async () => {
    expect(await readSessionCookie(await sealSessionCookie(sid, secret, 60), secret)).toBe(sid)
    expect(await readSessionRecord(await sealSessionRecord(record(), secret), secret)).toMatchObject({ sid, identity, refreshToken: 'refresh' })
  })
  it('refuses a tampered, foreign, expired or missing cookie', async () => {
    const token = await sealSessionCookie(sid, secret, 60)
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect(await readSessionCookie(tampered, secret)).toBeNull()
    expect(await readSessionCookie(token, secret.replace('test', 'evil'))).toBeNull()
    expect(await readSessionCookie(undefined, secret)).toBeNull()
    expect(await readSessionCookie('not-a-jwe', secret)).toBeNull()
    expect(await readSessionCookie(await sealSessionCookie(sid, secret, -10), secret)).toBeNull()
  })
  it('a cookie, a record and a sign-in transaction never open as one another', async () => {
    const tx = await sealTransaction({ state: 's'.repeat(43), nonce: 'n'.repeat(43), codeVerifier: 'v'.repeat(43), returnTo: '/' }, secret)
    expect(await readTransaction(tx, secret)).not.toBeNull()
    expect(await readSessionCookie(tx, secret)).toBeNull()
    const sealedRecord = await sealSessionRecord(record(), secret)
    expect(await readSessionCookie(sealedRecord, secret)).toBeNull()
    expect(await readSessionRecord(await sealSessionCookie(sid, secret, 60), secret)).toBeNull()
  })
  it('an expired record is refused even before its store entry expires', async () => {
    const expired = await sealSessionRecord(record({ expiresAt: Date.now() + 1500 }), secret)
    await new Promise((resolve) => setTimeout(resolve, 1600))
    expect(await readSessionRecord(expired, secret)).toBeNull()
  })
  it('a well-encrypted payload of the wrong shape, or dated in the future, is refused', async () => {
    const { hkdfSync } = await import('node:crypto')
    const key = new Uint8Array(hkdfSync('sha256', secret, 'gatehouse', 'gatehouse session v1', 32))
    const wrongShape = await new EncryptJWT({ viewer: { subject: 'x', roles: 'admin' } })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .encrypt(key)
    expect(await readSessionCookie(wrongShape, secret)).toBeNull()
    const future = await new EncryptJWT({ sid })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(Math.floor(Date.now() / 1000) + 3600)
      .setExpirationTime('2h')
      .encrypt(key)
    expect(await readSessionCookie(future, secret)).toBeNull()
    const noIat = await new EncryptJWT({ sid }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setExpirationTime('1h').encrypt(key)
    expect(await readSessionCookie(noIat, secret)).toBeNull()
    const now = await new EncryptJWT({ sid }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuedAt().setExpirationTime('1h').encrypt(key)
    expect(await readSessionCookie(now, secret)).toBe(sid)
  })
})

describe('safeReturnTo', () => {
  it.each([
    ['/docs/a?x=1#h', '/docs/a?x=1#h'],
    ['/docs/a/../b', '/docs/b'],
    ['/%2Fevil.example', '/%2Fevil.example'], // an encoded slash stays a path on this site
    ['https://evil.test/', '/'],
    ['//evil.test/x', '/'],
    ['/\\evil.test', '/'],
    ['javascript:alert(1)', '/'],
    [null, '/'],
    ['', '/'],
  ])('%s → %s', (input, expected) => expect(safeReturnTo(input)).toBe(expected))

  // The red team's payloads: each normalises to `//evil.example…`, which a browser reads as another host.
  it.each([
    '/..//evil.example',
    '/.//evil.example',
    '/a/..//evil.example',
    '/%2e%2e//evil.example',
    '/%2E%2E//evil.example',
    '/docs/..//evil.example/x?y#z',
    '/./..//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\u0000//evil.example',
    '/..\\evil.example',
    '/ /..//evil.example',
  ])('%j never leaves the origin', (payload) => {
    const out = safeReturnTo(payload)
    expect(new URL(out, 'https://docs.example.com').origin).toBe('https://docs.example.com')
    expect(out.startsWith('//')).toBe(false)
  })

  it('caps the length (the value ends up in a cookie and a Location header)', () => {
    expect(safeReturnTo('/' + 'a'.repeat(MAX_RETURN_TO_LENGTH - 1))).toHaveLength(MAX_RETURN_TO_LENGTH)
    expect(safeReturnTo('/' + 'a'.repeat(6000))).toBe('/')
    expect(safeReturnTo('/docs?x=' + '%41'.repeat(600))).toHaveLength(8 + 1800)
    expect(safeReturnTo('/docs?x=' + '%41'.repeat(800))).toBe('/')
  })
})

describe('parseConfig', () => {
  it('runs on the embedded defaults with no environment', () => {
    const config = parseConfig({})
    expect(config.content).toMatchObject({ mode: 'local', apiHost: 'http://localhost:4001' })
    expect(config.auth).toMatchObject({ provider: 'local', issuer: 'http://localhost:4000' })
    expect(config.secureCookies).toBe(false)
  })
  it('caches reader content only where the content webhook can expire it', () => {
    // Embedded defaults in development: the lake fires the content webhook, signed with the dev secret.
    expect(parseConfig({}).content.cache).toEqual({ seconds: 300, staleSeconds: 86_400 })
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }
    expect(parseConfig(production).content.cache, 'no content webhook: nothing cached').toEqual({ seconds: 0, staleSeconds: 0 })
    const content = { ...production, SANITY_WEBHOOK_SECRET_CONTENT: 'content-secret-0123456789' }
    expect(parseConfig(content).content.cache).toEqual({ seconds: 300, staleSeconds: 86_400 })
    expect(parseConfig({ ...content, CONTENT_CACHE_SECONDS: '60', CONTENT_STALE_SECONDS: '600' }).content.cache).toEqual({ seconds: 60, staleSeconds: 600 })
    expect(parseConfig({ ...content, CONTENT_CACHE_SECONDS: '0' }).content.cache, 'turned off: nothing stale either').toEqual({ seconds: 0, staleSeconds: 0 })
    expect(() => parseConfig({ ...production, CONTENT_CACHE_SECONDS: '60' })).toThrow(
      /SANITY_WEBHOOK_SECRET_CONTENT is required when CONTENT_CACHE_SECONDS is set/,
    )
    for (const bad of ['-1', '1.5', 'soon', '86401', '0x10', ' 1e3'])
      expect(() => parseConfig({ CONTENT_CACHE_SECONDS: bad }), bad).toThrow(/CONTENT_CACHE_SECONDS/)
    for (const bad of ['-1', 'a day', '604801']) expect(() => parseConfig({ CONTENT_STALE_SECONDS: bad }), bad).toThrow(/CONTENT_STALE_SECONDS/)
  })
  it('names each missing production variable', () => {
    expect(() => parseConfig({ SANITY_PROJECT_ID: 'abc123' })).toThrow(/SANITY_DATASET is required[\s\S]*SANITY_API_READ_TOKEN is required/)
    expect(() => parseConfig({ AUTH_PROVIDER: 'oidc', OIDC_ISSUER: 'https://idp.test' })).toThrow(/OIDC_CLIENT_ID[\s\S]*SESSION_SECRET/)
    expect(() => parseConfig({ VERCEL: '1' })).toThrow(ConfigError)
    expect(() => parseConfig({ SESSION_SECRET: 'short' })).toThrow(/at least 32 characters/)
  })
  it('requires SESSION_SECRET for every provider in production or with a real Sanity project', () => {
    const descope = { AUTH_PROVIDER: 'descope', DESCOPE_PROJECT_ID: 'P2x' }
    const sanity = { SANITY_PROJECT_ID: 'abc123', SANITY_DATASET: 'production', SANITY_API_READ_TOKEN: 't' }
    expect(() => parseConfig({ ...descope, NODE_ENV: 'production' })).toThrow(/SESSION_SECRET is required when NODE_ENV=production/)
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET is required when NODE_ENV=production/)
    expect(() => parseConfig({ ...descope, ...sanity })).toThrow(/SESSION_SECRET is required when SANITY_PROJECT_ID is set/)
    expect(() =>
      parseConfig({
        AUTH_PROVIDER: 'clerk',
        NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k',
        CLERK_SECRET_KEY: 'sk',
        NODE_ENV: 'production',
      }),
    ).toThrow(/SESSION_SECRET/)
    expect(parseConfig({ ...descope, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).session.secret).toBe('x'.repeat(32))
    // Development on the embedded defaults needs nothing.
    expect(parseConfig({ NODE_ENV: 'development' }).session.secret).toMatch(/dev-only/)
  })
  it('needs REDIS_URL on Vercel and validates the store settings', () => {
    expect(() => parseConfig({ VERCEL: '1' })).toThrow(/REDIS_URL is required on Vercel/)
    expect(() => parseConfig({ REDIS_URL: 'http://cache' })).toThrow(/REDIS_URL must start with redis:\/\/ or rediss:\/\//)
    expect(parseConfig({ REDIS_URL: 'rediss://default:pw@eu1.upstash.io:6379', REDIS_CLIENT_CACHE: 'off' }).store).toEqual({
      kind: 'redis',
      url: 'rediss://default:pw@eu1.upstash.io:6379',
      clientCache: false,
    })
    expect(parseConfig({}).store).toEqual({ kind: 'memory' })
  })
  it('ACCESS_RECHECK_SECONDS defaults to 300 and must be a sane number', () => {
    expect(parseConfig({}).access.recheckSeconds).toBe(300)
    expect(parseConfig({ ACCESS_RECHECK_SECONDS: '2' }).access.recheckSeconds).toBe(2)
    expect(() => parseConfig({ ACCESS_RECHECK_SECONDS: '0' })).toThrow(/at least 1/)
    expect(() => parseConfig({ ACCESS_RECHECK_SECONDS: '5m' })).toThrow(/whole number/)
  })
  it('uses a real Sanity project when configured', () => {
    const config = parseConfig({
      SANITY_PROJECT_ID: 'abc123',
      SANITY_DATASET: 'production',
      SANITY_API_READ_TOKEN: 't',
      APP_BASE_URL: 'https://docs.example.com',
      SESSION_SECRET: 'x'.repeat(32),
    })
    expect(config.content).toMatchObject({ mode: 'sanity', projectId: 'abc123', token: 't' })
    expect(config.content.apiHost).toBeUndefined()
    expect(config.secureCookies).toBe(true)
  })
})
