import { describe, expect, it } from 'vitest'
import { viewerFromClerkClaims } from '@/lib/auth/providers/clerk-claims'
import { viewerFromDescopeToken } from '@/lib/auth/providers/descope-claims'
import { parseConfig } from '@/lib/config'

const descopeClaims = (plan = 'plan') => ({ roles: 'roles', tenant: 'tenant', plan, region: 'region' })
const clerkKeys = { roles: 'roles', tenant: 'tenant', plan: 'plan', region: 'region' }

describe('Descope claims → Viewer', () => {
  it('adds the current tenant’s roles to the project roles', () => {
    const viewer = viewerFromDescopeToken(
      {
        sub: 'U1',
        roles: ['customer_viewer'],
        tenants: { acme: { roles: ['partner_admin'] }, globex: { roles: ['customer_admin'] } },
        dct: 'acme',
        plan: 'pro',
      },
      descopeClaims(),
    )
    expect(viewer).toMatchObject({ subject: 'U1', roles: ['customer_viewer', 'partner_admin'], tenant: 'acme', plan: 'pro', provider: 'descope' })
  })
  it('uses the only tenant when there is no dct, and no tenant when there are several', () => {
    expect(viewerFromDescopeToken({ sub: 'U1', tenants: { acme: { roles: ['x'] } } }, descopeClaims())).toMatchObject({ tenant: 'acme', roles: ['x'] })
    expect(viewerFromDescopeToken({ sub: 'U1', tenants: { acme: { roles: ['x'] }, globex: {} } }, descopeClaims())).toMatchObject({ tenant: null, roles: [] })
  })
  it('ignores a dct naming a tenant the user is not in', () => {
    expect(viewerFromDescopeToken({ sub: 'U1', tenants: { acme: { roles: ['x'] }, b: {} }, dct: 'evil' }, descopeClaims())).toMatchObject({
      tenant: null,
      roles: [],
    })
  })
  it('reads the plan from the configured claim', () => {
    expect(viewerFromDescopeToken({ sub: 'U1', subscription: 'enterprise' }, descopeClaims('subscription')).plan).toBe('enterprise')
    expect(viewerFromDescopeToken({ sub: 'U1', region: 'eu' }, descopeClaims()).region).toBe('eu')
  })
})

describe('Clerk claims → Viewer', () => {
  it('reads roles and plan from the metadata claim and the organization from `o`', () => {
    const viewer = viewerFromClerkClaims(
      { sub: 'user_1', metadata: { roles: ['customer_viewer'], plan: 'free' }, o: { id: 'org_globex', rol: 'admin' } },
      'metadata',
      clerkKeys,
    )
    expect(viewer).toMatchObject({ roles: ['customer_viewer', 'org:admin'], tenant: 'org_globex', plan: 'free', provider: 'clerk' })
  })
  it('understands v1 org claims', () => {
    expect(viewerFromClerkClaims({ sub: 'user_1', org_id: 'org_1', org_role: 'org:member' }, 'metadata', clerkKeys)).toMatchObject({
      tenant: 'org_1',
      roles: ['org:member'],
    })
  })
  it('malformed metadata grants nothing', () => {
    expect(viewerFromClerkClaims({ sub: 'user_1', metadata: 'roles=admin', o: 'acme' }, 'metadata', clerkKeys)).toMatchObject({
      roles: [],
      tenant: null,
      plan: null,
      region: null,
    })
  })
  it('reads every other grant from the metadata under its key', () => {
    expect(viewerFromClerkClaims({ sub: 'user_1', metadata: { region: 'eu' } }, 'metadata', clerkKeys)).toMatchObject({ region: 'eu' })
  })
})

describe('provider configuration', () => {
  it.each([
    ['descope', ['DESCOPE_PROJECT_ID']],
    ['clerk', ['NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY', 'CLERK_SECRET_KEY']],
    ['auth0', ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET', 'AUTH0_SECRET', 'APP_BASE_URL']],
    ['okta', ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'SESSION_SECRET', 'APP_BASE_URL']],
  ])('AUTH_PROVIDER=%s names every missing variable', (provider, names) => {
    let message = ''
    try {
      parseConfig({ AUTH_PROVIDER: provider })
    } catch (error) {
      message = (error as Error).message
    }
    for (const name of names) expect(message).toContain(`${name} is required when AUTH_PROVIDER=${provider}`)
  })
  it('refuses an unknown provider', () => {
    expect(() => parseConfig({ AUTH_PROVIDER: 'keycloak' })).toThrow(/AUTH_PROVIDER/)
  })
  it('defaults Okta to the groups claim and Descope to the sign-up-or-in flow', () => {
    const okta = parseConfig({
      AUTH_PROVIDER: 'okta',
      OIDC_ISSUER: 'https://acme.okta.com',
      OIDC_CLIENT_ID: 'c',
      OIDC_CLIENT_SECRET: 's',
      SESSION_SECRET: 'x'.repeat(32),
      APP_BASE_URL: 'https://docs.test',
    })
    expect(okta.auth).toMatchObject({ provider: 'okta', claims: { roles: 'groups' } })
    expect(parseConfig({ AUTH_PROVIDER: 'descope', DESCOPE_PROJECT_ID: 'P2x' }).auth).toMatchObject({ flowId: 'sign-up-or-in', claims: { plan: 'plan' } })
  })
})
