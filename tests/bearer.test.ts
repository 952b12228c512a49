import { beforeEach, describe, expect, it, vi } from 'vitest'
import { pickGrants } from '@/lib/access/dimensions'
import type { Identity, Viewer } from '@/lib/auth/viewer'

// Bearer readers (MCP clients, scripts fetching llms.txt or Markdown): the Authorization header is
// parsed strictly, the provider verifies the token, the member's current access applies, and the
// refusal says where to get a token without echoing the one sent.

const mocked = vi.hoisted(() => ({
  verify: vi.fn<(token: string) => Promise<unknown>>(),
  withCurrentAccess: vi.fn<(identity: Identity) => Promise<Viewer>>(),
  getAudience: vi.fn<() => Promise<unknown>>(),
}))
const limits = vi.hoisted(() => ({ badTokens: 100_000 }))
vi.mock('@/lib/config', async (original) => {
  const { RATE_LIMIT_DEFAULTS } = await original<typeof import('@/lib/config')>()
  return {
    RATE_LIMIT_DEFAULTS,
    getConfig: () => ({
      appBaseUrl: 'https://docs.example.test',
      editorRole: 'content_editor',
      store: { kind: 'memory' },
      rateLimit: { ...RATE_LIMIT_DEFAULTS, limits: { ...RATE_LIMIT_DEFAULTS.limits, badTokens: limits.badTokens } },
    }),
  }
})
vi.mock('@/lib/auth', () => ({ authProvider: async () => ({ bearer: { authorizationServer: 'https://idp.example.test', verify: mocked.verify } }) }))
vi.mock('@/lib/auth/member-access', () => ({ withCurrentAccess: mocked.withCurrentAccess }))
vi.mock('@/lib/auth/dal', () => ({ getAudience: mocked.getAudience }))

const { bearerAudience, bearerRefusal, requestAudience, resourceMetadataUrl } = await import('@/lib/auth/bearer')

const METADATA = 'https://docs.example.test/.well-known/oauth-protected-resource'
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl'

const identity: Identity = {
  subject: 'alice',
  email: 'alice@example.test',
  name: 'Alice',
  provider: 'local',
  roles: ['content_editor', 'partner_admin'],
  tenant: 'acme',
  plan: 'pro',
  region: 'eu',
  claimsIssuedAt: 1_000,
  sessionStartedAt: 1_000,
}
/** What the member's current access makes of the identity: here, a profile that drops a role. */
const viewer: Viewer = {
  subject: 'alice',
  email: 'alice@example.test',
  name: 'Alice',
  provider: 'local',
  roles: ['content_editor'],
  tenant: 'acme',
  plan: 'enterprise',
  region: 'eu',
  access: { source: 'profile', reason: null, changedAt: 2_000 },
}

const request = (authorization?: string) =>
  new Request('https://docs.example.test/api/mcp', { method: 'POST', headers: authorization === undefined ? {} : { authorization } })

beforeEach(() => {
  mocked.verify.mockReset().mockResolvedValue(identity)
  mocked.withCurrentAccess.mockReset().mockResolvedValue(viewer)
  mocked.getAudience.mockReset().mockResolvedValue({ viewer: null, isEditor: false, preview: null, drafts: false, reader: null })
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

describe('bearerAudience', () => {
  it('no Authorization header: none, and nothing is verified', async () => {
    expect(await bearerAudience(request())).toEqual({ kind: 'none' })
    expect(mocked.verify).not.toHaveBeenCalled()
  })

  it.each([
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['the scheme and spaces', 'Bearer    '],
    ['another scheme', 'Basic YWxpY2U6cGFzc3dvcmQ='],
    ['two tokens', 'Bearer a b'],
    ['a token over 8 KB', `Bearer ${'x'.repeat(9000)}`],
    ['a token one over the limit', `Bearer ${'x'.repeat(8193)}`],
    ['a non-ASCII token', 'Bearer tok\u00e9n'],
    ['a no-break space', 'Bearer\u00a0abc'],
    ['a tab for the space', 'Bearer\tabc'],
    ['a URL-encoded space', 'bearer%20abc'],
    ['padding inside the token', 'Bearer ab=cd'],
    ['characters outside b64token', 'Bearer abc,def'],
    ['a quoted token', 'Bearer "abc"'],
    ['the scheme glued to the token', 'Bearerabc'],
    ['a comma-joined repeat of the header', `Bearer ${TOKEN}, Bearer ${TOKEN}`],
  ])('%s: invalid, and the provider is never asked', async (_, header) => {
    const result = await bearerAudience(request(header))
    expect(result).toEqual({ kind: 'invalid', reason: 'malformed Authorization header' })
    expect(mocked.verify).not.toHaveBeenCalled()
  })

  it('an empty header is a header: invalid, not none', async () => {
    expect(await bearerAudience(request(''))).toMatchObject({ kind: 'invalid' })
    expect(mocked.verify).not.toHaveBeenCalled()
  })

  it.each([
    ['the usual form', `Bearer ${TOKEN}`, TOKEN],
    ['the scheme in lower case (auth schemes are case-insensitive)', `bearer ${TOKEN}`, TOKEN],
    ['the scheme in upper case', `BEARER ${TOKEN}`, TOKEN],
    ['several spaces (1*SP)', `Bearer   ${TOKEN}`, TOKEN],
    ['surrounding whitespace', `  Bearer ${TOKEN}  `, TOKEN],
    ['b64token padding', 'Bearer YWJj==', 'YWJj=='],
    ['every b64token character', 'Bearer aZ09-._~+/', 'aZ09-._~+/'],
    ['a token of exactly 8 KB', `Bearer ${'x'.repeat(8192)}`, 'x'.repeat(8192)],
  ])('%s: the token alone goes to the provider', async (_, header, token) => {
    expect(await bearerAudience(request(header))).toMatchObject({ kind: 'ok' })
    expect(mocked.verify).toHaveBeenCalledExactlyOnceWith(token)
  })

  it('a token the provider does not accept: invalid, and no access is looked up', async () => {
    mocked.verify.mockResolvedValue(null)
    expect(await bearerAudience(request(`Bearer ${TOKEN}`))).toEqual({ kind: 'invalid', reason: 'the token is not valid for this app' })
    expect(mocked.withCurrentAccess).not.toHaveBeenCalled()
  })

  it('a provider that cannot be asked: unavailable (never ok, never none), logged without the token', async () => {
    mocked.verify.mockRejectedValue(new Error('JWKS fetch failed: ECONNREFUSED'))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(await bearerAudience(request(`Bearer ${TOKEN}`))).toEqual({ kind: 'unavailable' })
    expect(mocked.withCurrentAccess).not.toHaveBeenCalled()
    const logged = warn.mock.calls.map((call) => String(call[0])).join('\n')
    expect(logged).toContain('auth.bearer_unavailable')
    expect(logged).not.toContain(TOKEN)
  })

  it('a valid token: the member’s current access, no drafts, no preview, never an editor', async () => {
    const result = await bearerAudience(request(`Bearer ${TOKEN}`))
    expect(mocked.withCurrentAccess).toHaveBeenCalledExactlyOnceWith(identity)
    expect(result).toEqual({ kind: 'ok', audience: { viewer, isEditor: false, preview: null, drafts: false, reader: pickGrants(viewer) } })
    // The reader is the current access (the profile's plan), not the token's claims.
    if (result.kind === 'ok') expect(result.audience.reader).toMatchObject({ plan: 'enterprise', roles: ['content_editor'] })
  })

  it('preview and draft cookies on the request change nothing for a bearer reader', async () => {
    const withCookies = new Request('https://docs.example.test/llms.txt', {
      headers: { authorization: `Bearer ${TOKEN}`, cookie: '__prerender_bypass=1; gatehouse_preview=forged' },
    })
    expect(await bearerAudience(withCookies)).toMatchObject({ kind: 'ok', audience: { isEditor: false, preview: null, drafts: false } })
  })
})

describe('tokens that are not valid, per client address', () => {
  const from = (address: string, authorization: string) =>
    new Request('https://docs.example.test/api/mcp', { method: 'POST', headers: { authorization, 'x-forwarded-for': address } })

  it('past the budget an address is refused (429) before the IdP is asked; valid tokens from elsewhere are not', async () => {
    limits.badTokens = 3
    try {
      mocked.verify.mockResolvedValue(null)
      for (const token of ['Bearer junk-1', 'Bearer junk-2', 'Bearer not!valid', 'Bearer junk-4'])
        expect((await bearerAudience(from('203.0.113.50', token))).kind).toBe('invalid')
      const callsBefore = mocked.verify.mock.calls.length
      const limited = await bearerAudience(from('203.0.113.50', `Bearer ${TOKEN}`))
      expect(limited.kind).toBe('limited')
      expect(mocked.verify.mock.calls.length).toBe(callsBefore)
      const refusal = bearerRefusal(limited as Exclude<typeof limited, { kind: 'ok' }>, 'mcp')
      expect(refusal.status).toBe(429)
      expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(refusal.headers.get('cache-control')).toBe('no-store')
      // Another address is unaffected, and a valid token there is verified as ever.
      mocked.verify.mockResolvedValue(identity)
      mocked.withCurrentAccess.mockResolvedValue(viewer)
      expect((await bearerAudience(from('198.51.100.60', `Bearer ${TOKEN}`))).kind).toBe('ok')
    } finally {
      limits.badTokens = 100_000
    }
  })
})

describe('requestAudience', () => {
  it('no bearer token: the browser session', async () => {
    const session = { viewer: null, isEditor: false, preview: null, drafts: false, reader: null }
    mocked.getAudience.mockResolvedValue(session)
    expect(await requestAudience(request())).toBe(session)
  })

  it('a bearer token, valid or not, is never ignored in favour of the session', async () => {
    expect(await requestAudience(request(`Bearer ${TOKEN}`))).toMatchObject({ viewer, isEditor: false })
    expect(await requestAudience(request('Bearer a b'))).toMatchObject({ kind: 'invalid' })
    mocked.verify.mockRejectedValue(new Error('down'))
    expect(await requestAudience(request(`Bearer ${TOKEN}`))).toEqual({ kind: 'unavailable' })
    expect(mocked.getAudience).not.toHaveBeenCalled()
  })
})

describe('bearerRefusal', () => {
  it('no token: 401 with where to get one, and no error', async () => {
    const response = bearerRefusal({ kind: 'none' }, 'mcp')
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${METADATA}/api/mcp"`)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ error: 'unauthorized', error_description: 'A bearer token is required.' })
  })

  it.each([
    ['a malformed header', `Bearer ${TOKEN} extra`, 'malformed Authorization header'],
    ['a token the provider refuses', `Bearer ${TOKEN}`, 'the token is not valid for this app'],
  ])('%s: 401 invalid_token, and nothing of the token comes back', async (_, header, reason) => {
    mocked.verify.mockResolvedValue(null)
    const result = await bearerAudience(request(header))
    if (result.kind !== 'invalid') throw new Error(`expected invalid, got ${result.kind}`)
    const response = bearerRefusal(result, 'docs')
    expect(response.status).toBe(401)
    const challenge = response.headers.get('www-authenticate')!
    expect(challenge).toBe(`Bearer resource_metadata="${METADATA}", error="invalid_token", error_description="${reason}"`)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.text()
    expect(JSON.parse(body)).toEqual({ error: 'invalid_token', error_description: reason })
    for (const part of TOKEN.split('.')) {
      expect(body).not.toContain(part)
      expect(challenge).not.toContain(part)
    }
  })

  it('the provider unavailable: 503 with retry-after, not a 401 that would send the client to sign in again', async () => {
    const response = bearerRefusal({ kind: 'unavailable' }, 'mcp')
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('5')
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect(await response.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'The identity provider could not be reached.' })
  })

  it('names one of two fixed protected resources: nothing from the request reaches the challenge', () => {
    expect(resourceMetadataUrl('mcp')).toBe(`${METADATA}/api/mcp`)
    expect(resourceMetadataUrl('docs')).toBe(METADATA)
    // Both are the only parameters a refusal takes; a slug never becomes part of a header.
    const refusal = bearerRefusal({ kind: 'invalid', reason: 'malformed Authorization header' }, 'docs')
    expect(refusal.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata="[^"\\]*", error="invalid_token", error_description="[^"\\]*"$/)
  })
})
