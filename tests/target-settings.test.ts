import { encodeSignatureHeader } from '@sanity/webhook'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ConfigError, parseConfig } from '@/lib/config'
import { createTarget } from '@/lib/sync/pipeline'
import { TARGETS, type TargetName } from '@/lib/sync/targets/registry'

// A sync target's settings are checked the way its SDK checks them, when the configuration is read
// (start-up), naming the variable; every target is built at start-up; and a webhook or resync request
// is authenticated before anything about its target is looked at or built — so a misconfigured target
// is a start-up error, never a 500 to an unsigned caller.

const SECRET = 'settings-test-webhook-secret-0123456789'
const context = { timeoutMs: 1000, sanityWriter: () => Promise.reject(new Error('not used')) as never }
const auth0 = { SANITY_WEBHOOK_SECRET_AUTH0: SECRET, AUTH0_MANAGEMENT_CLIENT_ID: 'm2m', AUTH0_MANAGEMENT_CLIENT_SECRET: 'm2m-secret' }
const okta = { SANITY_WEBHOOK_SECRET_OKTA: SECRET, OKTA_API_TOKEN: 'ssws-token', SANITY_API_WRITE_TOKEN: 'w' }
const clerk = { SANITY_WEBHOOK_SECRET_CLERK: SECRET, CLERK_SECRET_KEY: 'sk_test_abc' }
const descope = { SANITY_WEBHOOK_SECRET_DESCOPE: SECRET, DESCOPE_PROJECT_ID: 'P2abc', DESCOPE_MANAGEMENT_KEY: 'K2abc' }

function problemsOf(env: Record<string, string>): string {
  try {
    parseConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  return ''
}

describe('each SDK’s rules for its settings are checked at start-up, naming the variable', () => {
  const refused: [string, Record<string, string>, RegExp][] = [
    [
      'an Auth0 management domain given as a URL',
      { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'https://tenant.eu.auth0.com' },
      /AUTH0_MANAGEMENT_DOMAIN must be a bare host name/,
    ],
    ['an Auth0 domain with a path', { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'tenant.eu.auth0.com/api/v2' }, /AUTH0_MANAGEMENT_DOMAIN must be a bare host name/],
    ['an Auth0 domain with a query', { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'tenant.auth0.com?x=1' }, /AUTH0_MANAGEMENT_DOMAIN/],
    ['an Auth0 domain with a fragment', { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'tenant.auth0.com#x' }, /AUTH0_MANAGEMENT_DOMAIN/],
    ['an Auth0 domain with spaces inside', { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'tenant .auth0.com' }, /AUTH0_MANAGEMENT_DOMAIN/],
    ['an Auth0 domain with an encoded slash', { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'tenant.auth0.com%2Fapi' }, /AUTH0_MANAGEMENT_DOMAIN/],
    [
      'the sign-in AUTH0_DOMAIN as a URL with no management domain of its own',
      { ...auth0, AUTH0_DOMAIN: 'https://tenant.eu.auth0.com' },
      /AUTH0_DOMAIN must be a bare host name.*set AUTH0_MANAGEMENT_DOMAIN/,
    ],
    ['an Okta org URL without a scheme', { ...okta, OKTA_ORG_URL: 'example.okta.com' }, /OKTA_ORG_URL must be an http\(s\) URL/],
    ['an Okta org URL with another scheme', { ...okta, OKTA_ORG_URL: 'javascript:alert(1)' }, /OKTA_ORG_URL must be an http\(s\) URL/],
    ['a Clerk API URL that is not a URL', { ...clerk, CLERK_API_URL: 'api.clerk.com' }, /CLERK_API_URL must be an (absolute|http\(s\)) URL/],
    ['a Descope base URL without a scheme', { ...descope, DESCOPE_BASE_URL: 'localhost:4000' }, /DESCOPE_BASE_URL must be an http\(s\) URL/],
  ]
  for (const [name, env, message] of refused) {
    it(`refuses ${name}`, () => {
      expect(problemsOf(env)).toMatch(message)
    })
  }

  const accepted: [TargetName, Record<string, string>][] = [
    ['auth0', { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'tenant.eu.auth0.com' }],
    ['auth0', { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'localhost:4300' }],
    // A URL for sign-in is fine when management has a host of its own.
    ['auth0', { ...auth0, AUTH0_DOMAIN: 'https://tenant.eu.auth0.com', AUTH0_MANAGEMENT_DOMAIN: 'tenant.eu.auth0.com' }],
    ['okta', { ...okta, OKTA_ORG_URL: 'https://example.okta.com' }],
    ['clerk', { ...clerk, CLERK_API_URL: 'https://api.clerk.com' }],
    ['clerk', clerk],
  ]
  for (const [target, env] of accepted) {
    it(`what it accepts for ${target} (${Object.values(env).at(-1)}), the target’s own SDK accepts too`, async () => {
      const config = parseConfig(env)
      const settings = config.sync.targets[target]?.settings
      expect(settings).toBeDefined()
      await expect(createTarget(target, settings, context)).resolves.toMatchObject({ handlers: expect.any(Object) })
    })
  }
})

describe('a request is authenticated before its target is looked at or built', () => {
  let handle: typeof import('@/lib/sync/handle')
  const body = JSON.stringify({ _id: 'accessPolicy.acme', _type: 'accessPolicy' })
  const webhook = async (target: string, signature?: string) =>
    handle.handleSanityWebhook(
      new Request(`http://localhost/api/webhooks/sanity/${target}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { 'sanity-webhook-signature': signature } : {}) },
        body,
      }),
      target,
    )
  const resync = async (target: string, token?: string) =>
    handle.resyncTarget(
      new Request(`http://localhost/api/sync/resync/${target}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} }),
      target,
    )

  beforeAll(async () => {
    Object.assign(process.env, { ...auth0, AUTH0_MANAGEMENT_DOMAIN: 'tenant.eu.auth0.com' })
    handle = await import('@/lib/sync/handle')
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('an unsigned delivery to a target whose SDK fails to build is a 401, and nothing is built', async () => {
    const load = vi.spyOn(TARGETS.auth0, 'load').mockRejectedValue(new Error('ManagementClient: invalid domain'))
    for (const response of [await webhook('auth0'), await webhook('auth0', 't=123,v1=forged'), await resync('auth0'), await resync('auth0', 'guess')]) {
      expect(response.status).toBe(401)
      expect(response.headers.get('cache-control')).toBe('no-store')
    }
    expect(load).not.toHaveBeenCalled()
  })

  it('a signed delivery to it is a 500 naming no setting, and the failure is not remembered (fixed settings are used next time)', async () => {
    const load = vi.spyOn(TARGETS.auth0, 'load').mockRejectedValue(new Error('ManagementClient: invalid domain "https://x"'))
    const signed = () => encodeSignatureHeader(body, Date.now(), SECRET)
    const first = await webhook('auth0', await signed())
    expect(first.status).toBe(500)
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(await first.text()).not.toMatch(/AUTH0|domain|https/)
    await webhook('auth0', await signed())
    expect(load).toHaveBeenCalledTimes(2)
  })

  it('at start-up, a target its SDK refuses stops the server, naming its secret and settings', async () => {
    vi.spyOn(TARGETS.auth0, 'load').mockRejectedValue(new Error('ManagementClient: invalid domain "https://x"'))
    const failure = handle.prepareSyncTargets()
    await expect(failure).rejects.toBeInstanceOf(ConfigError)
    await expect(failure).rejects.toThrow(
      /SANITY_WEBHOOK_SECRET_AUTH0 is set, but the auth0 target's SDK refuses its settings \(AUTH0_MANAGEMENT_DOMAIN, AUTH0_DOMAIN, .*\): ManagementClient: invalid domain/,
    )
  })

  it('at start-up, every enabled target is built with its real SDK', async () => {
    await expect(handle.prepareSyncTargets()).resolves.toBeUndefined()
  })
})
