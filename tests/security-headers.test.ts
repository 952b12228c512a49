import { describe, expect, it } from 'vitest'
import { parseConfig } from '@/lib/config'
import { contentSecurityPolicy, mustNotBeStored, securityHeaders } from '@/lib/security/headers'
import { malformedRouterState } from '@/lib/security/router-state'

// The headers proxy.ts puts on every page and route response, per provider and scheme.

const local = parseConfig({})
const https = parseConfig({ APP_BASE_URL: 'https://docs.example.com' })

describe('security headers', () => {
  it('CSP: a nonce with strict-dynamic, same-origin framing only, no plugins, no foreign base or forms', () => {
    const csp = contentSecurityPolicy(local, 'abc123', { studio: false })
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("base-uri 'self'")
    // Sign-out redirects to the IdP's end-session endpoint after a form POST.
    expect(csp).toContain("form-action 'self' http://localhost:4000")
    expect(csp).not.toContain('sanity.io')
  })

  it('only the Studio may talk to Sanity from the browser; dev allows the overlay’s eval and HMR socket', () => {
    expect(contentSecurityPolicy(local, 'n', { studio: true })).toContain("connect-src 'self' https://*.sanity.io wss://*.sanity.io")
    const dev = contentSecurityPolicy(local, 'n', { studio: false, dev: true })
    expect(dev).toContain("'unsafe-eval'")
    expect(dev).toContain('ws:')
  })

  it('admits the configured provider’s widget origins, and only those', () => {
    const clerk = parseConfig({
      AUTH_PROVIDER: 'clerk',
      NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from('clerk.example.com$').toString('base64')}`,
      CLERK_SECRET_KEY: 'sk',
    })
    const descope = parseConfig({ AUTH_PROVIDER: 'descope', DESCOPE_PROJECT_ID: 'P2x' })
    expect(contentSecurityPolicy(clerk, 'n', { studio: false })).toContain('https://clerk.example.com')
    expect(contentSecurityPolicy(clerk, 'n', { studio: false })).not.toContain('descope')
    expect(contentSecurityPolicy(descope, 'n', { studio: false })).toContain('https://api.descope.com')
    expect(contentSecurityPolicy(descope, 'n', { studio: false })).not.toContain('clerk')
  })

  it('HSTS and upgrade-insecure-requests only when APP_BASE_URL is https', () => {
    expect(securityHeaders(https, 'csp')['strict-transport-security']).toBe('max-age=63072000; includeSubDomains')
    expect(contentSecurityPolicy(https, 'n', { studio: false })).toContain('upgrade-insecure-requests')
    expect(securityHeaders(local, 'csp')['strict-transport-security']).toBeUndefined()
    expect(securityHeaders(local, 'csp')).toMatchObject({ 'permissions-policy': expect.stringContaining('camera=()'), 'x-content-type-options': 'nosniff' })
    expect(Object.keys(securityHeaders(local, 'csp'))).not.toContain('x-frame-options')
  })

  it.each([
    ['/auth/login', 200, true],
    ['/auth/callback', 303, true],
    ['/api/draft-mode/enable', 307, true],
    ['/api/preview/exit', 303, true],
    ['/account', 307, true],
    ['/docs/x', 200, false],
    ['/', 200, false],
  ])('%s with %i: never stored = %s', (path, status, expected) => expect(mustNotBeStored(path, status)).toBe(expected))
})

describe('router state header', () => {
  const h = (headers: Record<string, string>) => new Headers(headers)
  it('refuses what Next could not parse, on RSC requests', () => {
    for (const tree of ['%E0%A4%A', 'garbage', '%5B1', '%7B%22a%22%3A1%7D', '%5B%22%22%5D', 'x'.repeat(50_000)]) {
      expect(malformedRouterState(h({ rsc: '1', 'next-router-state-tree': tree })), tree.slice(0, 20)).toBe(true)
    }
  })
  it('accepts a well-formed state and ignores requests that are not RSC', () => {
    expect(malformedRouterState(h({ rsc: '1', 'next-router-state-tree': encodeURIComponent(JSON.stringify(['', { children: ['docs', {}] }])) }))).toBe(false)
    expect(malformedRouterState(h({ rsc: '1' }))).toBe(false)
    expect(malformedRouterState(h({ 'next-router-state-tree': 'garbage' }))).toBe(false)
  })
})
