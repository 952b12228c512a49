import { describe, expect, it } from 'vitest'
import { tokenClaimsProblem } from '@/lib/auth/token-checks'
import { clerkIssuer } from '@/lib/auth/providers/registry'

// What Gatehouse requires of a session token after the provider SDK verified its signature.

const now = 1_800_000_000_000
const t = now / 1000
const descope = { issuers: ['https://api.descope.com/P2abc', 'P2abc'], now }
const clerk = { issuers: ['https://clerk.example.com'], authorizedParties: ['https://docs.example.com'], now }
const good = { sub: 'U1', iss: 'https://api.descope.com/P2abc', iat: t - 10, exp: t + 600 }

describe('session token claims', () => {
  it('accepts a token with exp, a known issuer and a sane iat', () => {
    expect(tokenClaimsProblem(good, descope)).toBeNull()
    expect(tokenClaimsProblem({ ...good, iss: 'P2abc' }, descope)).toBeNull()
    expect(tokenClaimsProblem({ ...good, iat: undefined }, descope)).toBeNull()
  })

  it.each([
    ['no exp', { ...good, exp: undefined }, /expiry/],
    ['exp as a string', { ...good, exp: String(t + 600) }, /expiry/],
    ['expired', { ...good, exp: t - 3600 }, /expired/],
    ['issued in the future', { ...good, iat: t + 3600 }, /future/],
    ['iat not a number', { ...good, iat: 'now' }, /future/],
    ['another host with the same project id', { ...good, iss: 'https://evil.example/P2abc' }, /iss/],
    ['a lookalike issuer', { ...good, iss: 'https://api.descope.com/P2abc/' }, /iss/],
    ['no issuer', { ...good, iss: undefined }, /iss/],
    ['issuer of another type', { ...good, iss: ['https://api.descope.com/P2abc'] }, /iss/],
  ])('refuses a token with %s', (_name, claims, reason) => {
    expect(tokenClaimsProblem(claims as Record<string, unknown>, descope)).toMatch(reason)
  })

  it('Clerk: requires the exact Frontend API issuer and azp = this site', () => {
    const token = { sub: 'user_1', iss: 'https://clerk.example.com', azp: 'https://docs.example.com', exp: t + 60, iat: t }
    expect(tokenClaimsProblem(token, clerk)).toBeNull()
    expect(tokenClaimsProblem({ ...token, iss: undefined }, clerk)).toMatch(/iss/)
    expect(tokenClaimsProblem({ ...token, azp: undefined }, clerk)).toMatch(/azp/)
    expect(tokenClaimsProblem({ ...token, azp: 'https://evil.example' }, clerk)).toMatch(/azp/)
  })

  it('audience, where configured', () => {
    const withAud = { issuers: ['i'], audiences: ['api://docs'], now }
    expect(tokenClaimsProblem({ iss: 'i', exp: t + 60, aud: ['x', 'api://docs'] }, withAud)).toBeNull()
    expect(tokenClaimsProblem({ iss: 'i', exp: t + 60, aud: 'x' }, withAud)).toMatch(/aud/)
    expect(tokenClaimsProblem({ iss: 'i', exp: t + 60 }, withAud)).toMatch(/aud/)
  })

  it('derives Clerk’s issuer from the publishable key', () => {
    expect(clerkIssuer(`pk_test_${Buffer.from('clerk.gatehouse.test$').toString('base64')}`)).toBe('https://clerk.gatehouse.test')
    expect(clerkIssuer(`pk_live_${Buffer.from('clerk.example.com$').toString('base64')}`)).toBe('https://clerk.example.com')
  })
})
