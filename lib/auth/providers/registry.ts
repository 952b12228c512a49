// The identity providers Gatehouse supports, one entry each: its settings (a zod schema over the
// environment that names every missing variable), how readers sign in, the request headers it must
// never trust from a client, what its browser code may load (CSP), and a lazy loader for its module,
// so only the configured provider's SDK is ever imported. lib/config, proxy.ts, the CSP and README's
// provider table all read from here. Pure (zod only): dev tools and tests import it too.
import { z } from 'zod'
import { GRANT_DIMENSIONS } from '../../access/dimensions.ts'
import { localDefaults } from '../../config/defaults.ts'
import { optional, required, url, type Env } from '../../config/env.ts'
import type { Config } from '../../config/index.ts'
import type { AuthProvider } from '../provider.ts'
import { PROVIDER_NAMES, type ProviderName } from '../provider-names.ts'
import type { ClaimNames } from '../viewer.ts'

/** Browser-side origins a provider's widgets need, by CSP directive. */
export type CspSources = { script?: string[]; connect?: string[]; frame?: string[]; form?: string[]; img?: string[] }
export type SignInKind = 'redirect' | 'descope' | 'clerk'

export type OidcSettings = { provider: 'local' | 'oidc' | 'okta'; issuer: string; clientId: string; clientSecret: string; scopes: string; claims: ClaimNames }
export type DescopeSettings = { provider: 'descope'; projectId: string; baseUrl?: string; flowId: string; claims: ClaimNames; issuers: string[] }
export type ClerkSettings = {
  provider: 'clerk'
  publishableKey: string
  secretKey: string
  jwtKey?: string
  metadataClaim: string
  issuer: string
  claims: ClaimNames
}
export type Auth0Settings = {
  provider: 'auth0'
  domain: string
  clientId: string
  clientSecret: string
  secret: string
  claimsNamespace: string
  claims: ClaimNames
  /** The Auth0 API (its identifier) whose access tokens API clients send; unset: bearer tokens are refused. */
  apiAudience: string | null
}
export type AuthSettings = OidcSettings | DescopeSettings | ClerkSettings | Auth0Settings
export type { ProviderName }

type SettingsOf<Name extends ProviderName> = Name extends OidcSettings['provider'] ? OidcSettings : Extract<AuthSettings, { provider: Name }>

export type ProviderDefinition<Name extends ProviderName = ProviderName> = {
  name: Name
  /** README: what it is and through which official SDK. */
  title: string
  sdk: string
  /** README: what proxy.ts and the data-access layer call, and where grants come from. */
  docs: { proxy: string; session: string; grants: string }
  /** The environment → this provider's settings; every missing or malformed variable is an issue. */
  settings: z.ZodType<SettingsOf<Name>, Env>
  signIn: SignInKind
  /** Request headers that carry identity for this provider's SDK; stripped from every request. `*` ends a prefix. */
  spoofableHeaders: string[]
  csp(settings: SettingsOf<Name>): CspSources
  /** The provider's module, loaded only when it is the configured one. */
  load(): Promise<{ create(config: Config, settings: SettingsOf<Name>): AuthProvider }>
}

const define = <Name extends ProviderName>(definition: ProviderDefinition<Name>) => definition

/** `<PREFIX>_<GRANT>_CLAIM` variables: which claim carries each grant (e.g. OIDC_ROLES_CLAIM, OIDC_REGION_CLAIM). */
const claimVariables = (prefix: string) =>
  Object.fromEntries(GRANT_DIMENSIONS.map((d) => [`${prefix}_${d.grant.toUpperCase()}_CLAIM`, optional])) as Record<string, typeof optional>

function claimNames(env: Env, prefix: string | null, defaults: Partial<ClaimNames> = {}, namespace = ''): ClaimNames {
  return Object.fromEntries(
    GRANT_DIMENSIONS.map((d) => [
      d.grant,
      (prefix ? env[`${prefix}_${d.grant.toUpperCase()}_CLAIM`] : undefined) ?? defaults[d.grant] ?? `${namespace}${d.claim}`,
    ]),
  ) as ClaimNames
}

const when = (provider: string) => `when AUTH_PROVIDER=${provider}`
const absoluteUrl = (name: string, provider: string) =>
  required(name, when(provider)).refine((value) => URL.canParse(value), { message: `${name} must be an absolute URL` })

/** local, oidc and okta share the OpenID Connect module; they differ in defaults and required settings. */
function oidcFamily(name: 'oidc' | 'okta', title: string, defaults: { scopes: string; claims: Partial<ClaimNames> }): ProviderDefinition<'oidc' | 'okta'> {
  return define<'oidc' | 'okta'>({
    name,
    title,
    sdk: 'openid-client',
    docs: {
      proxy: 'session check (shared store)',
      session: 'server-side session, re-validated by refresh-token grant',
      grants: 'ID token claims (names configurable)',
    },
    settings: z
      .object({
        OIDC_ISSUER: absoluteUrl('OIDC_ISSUER', name),
        OIDC_CLIENT_ID: required('OIDC_CLIENT_ID', when(name)),
        OIDC_CLIENT_SECRET: required('OIDC_CLIENT_SECRET', when(name)),
        SESSION_SECRET: required('SESSION_SECRET', when(name)),
        APP_BASE_URL: required('APP_BASE_URL', when(name)),
        OIDC_SCOPES: optional,
        ...claimVariables('OIDC'),
      })
      .transform((env) => ({
        provider: name,
        issuer: env.OIDC_ISSUER,
        clientId: env.OIDC_CLIENT_ID,
        clientSecret: env.OIDC_CLIENT_SECRET,
        scopes: env.OIDC_SCOPES ?? defaults.scopes,
        claims: claimNames(env, 'OIDC', defaults.claims),
      })) as unknown as z.ZodType<OidcSettings, Env>,
    signIn: 'redirect',
    spoofableHeaders: [],
    // Sign-out posts here and is redirected to the IdP's end-session endpoint.
    csp: (settings) => ({ form: [new URL(settings.issuer).origin] }),
    load: async () => {
      const { oidcProvider } = await import('./oidc.ts')
      return { create: (config, settings) => oidcProvider(config, settings) }
    },
  })
}

export const PROVIDERS = {
  local: define<'local'>({
    name: 'local',
    title: 'Local IdP (embedded default, development only)',
    sdk: 'openid-client',
    docs: { proxy: 'session check (shared store)', session: 'server-side session, re-validated by refresh-token grant', grants: 'ID token claims' },
    settings: z.object({ LOCAL_IDP_URL: url('LOCAL_IDP_URL'), OIDC_SCOPES: optional, ...claimVariables('OIDC') }).transform((env) => ({
      provider: 'local' as const,
      issuer: env.LOCAL_IDP_URL ?? localDefaults.idpUrl,
      clientId: localDefaults.oidcClientId,
      clientSecret: localDefaults.oidcClientSecret,
      // offline_access: a refresh token, with which claims are re-validated every ACCESS_RECHECK_SECONDS.
      scopes: env.OIDC_SCOPES ?? 'openid profile email gatehouse offline_access',
      claims: claimNames(env, 'OIDC'),
    })) as unknown as z.ZodType<OidcSettings, Env>,
    signIn: 'redirect',
    spoofableHeaders: [],
    csp: (settings) => ({ form: [new URL(settings.issuer).origin] }),
    load: async () => {
      const { oidcProvider } = await import('./oidc.ts')
      return { create: (config, settings) => oidcProvider(config, settings) }
    },
  }),
  oidc: oidcFamily('oidc', 'Any OpenID Connect provider', { scopes: 'openid profile email offline_access', claims: {} }) as ProviderDefinition<'oidc'>,
  // Okta puts group memberships in a `groups` claim (README).
  okta: oidcFamily('okta', 'Okta', { scopes: 'openid profile email groups offline_access', claims: { roles: 'groups' } }) as ProviderDefinition<'okta'>,
  descope: define({
    name: 'descope',
    title: 'Descope',
    sdk: '@descope/nextjs-sdk',
    docs: { proxy: '`authMiddleware`', session: '`session()`', grants: '`roles` + current tenant’s roles / `dct` / custom claims (`DESCOPE_<GRANT>_CLAIM`)' },
    settings: z
      .object({
        DESCOPE_PROJECT_ID: required('DESCOPE_PROJECT_ID', when('descope')),
        DESCOPE_BASE_URL: url('DESCOPE_BASE_URL'),
        DESCOPE_FLOW_ID: optional,
        DESCOPE_ISSUER: url('DESCOPE_ISSUER'),
        ...claimVariables('DESCOPE'),
      })
      .transform((env) => ({
        provider: 'descope' as const,
        projectId: env.DESCOPE_PROJECT_ID,
        baseUrl: env.DESCOPE_BASE_URL,
        flowId: env.DESCOPE_FLOW_ID ?? 'sign-up-or-in',
        claims: claimNames(env, 'DESCOPE'),
        // Descope's issuer is its API URL plus the project id (older tokens: the bare project id).
        issuers: env.DESCOPE_ISSUER ? [env.DESCOPE_ISSUER] : [`https://api.descope.com/${env.DESCOPE_PROJECT_ID}`, env.DESCOPE_PROJECT_ID],
      })),
    signIn: 'descope',
    // Versions before 0.15.56 trusted this header as the session.
    spoofableHeaders: ['x-descope-session'],
    csp: (settings) => {
      const api = settings.baseUrl ? new URL(settings.baseUrl).origin : 'https://api.descope.com'
      return { script: ['https://descopecdn.com', 'https://static.descope.com', api], connect: [api, 'https://*.descope.com'], frame: [api], img: ['https:'] }
    },
    load: async () => {
      const { descopeProvider } = await import('./descope.ts')
      return { create: descopeProvider }
    },
  }),
  clerk: define({
    name: 'clerk',
    title: 'Clerk',
    sdk: '@clerk/nextjs',
    docs: { proxy: '`clerkMiddleware`', session: '`auth()`', grants: '`metadata` session claim / active organization / `metadata.<grant>`' },
    settings: z
      .object({
        NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: required('NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY', when('clerk')).regex(/^pk_(test|live)_/, {
          message: 'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY must start with pk_test_ or pk_live_',
        }),
        CLERK_SECRET_KEY: required('CLERK_SECRET_KEY', when('clerk')),
        CLERK_JWT_KEY: optional,
        CLERK_METADATA_CLAIM: optional,
      })
      .transform((env) => ({
        provider: 'clerk' as const,
        publishableKey: env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY,
        secretKey: env.CLERK_SECRET_KEY,
        jwtKey: env.CLERK_JWT_KEY,
        metadataClaim: env.CLERK_METADATA_CLAIM ?? 'metadata',
        issuer: clerkIssuer(env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY),
        // Keys inside the metadata claim.
        claims: claimNames(env, null),
      })),
    signIn: 'clerk',
    spoofableHeaders: ['x-clerk-*'],
    csp: (settings) => ({
      script: [new URL(settings.issuer).origin, 'https://challenges.cloudflare.com'],
      connect: [new URL(settings.issuer).origin],
      frame: ['https://challenges.cloudflare.com'],
      img: ['https://img.clerk.com'],
    }),
    load: async () => {
      const { clerkProvider } = await import('./clerk.ts')
      return { create: clerkProvider }
    },
  }),
  auth0: define({
    name: 'auth0',
    title: 'Auth0',
    sdk: '@auth0/nextjs-auth0 v4',
    docs: {
      proxy: '`auth0.middleware()` + claim re-validation',
      session: '`auth0.getSession()` (stateful, shared store)',
      grants: 'namespaced claims / `org_id` / namespaced claims',
    },
    settings: z
      .object({
        AUTH0_DOMAIN: required('AUTH0_DOMAIN', when('auth0')),
        AUTH0_CLIENT_ID: required('AUTH0_CLIENT_ID', when('auth0')),
        AUTH0_CLIENT_SECRET: required('AUTH0_CLIENT_SECRET', when('auth0')),
        AUTH0_SECRET: required('AUTH0_SECRET', when('auth0')),
        APP_BASE_URL: required('APP_BASE_URL', when('auth0')),
        AUTH0_CLAIMS_NAMESPACE: optional,
        AUTH0_API_AUDIENCE: optional,
      })
      .transform((env) => {
        const namespace = env.AUTH0_CLAIMS_NAMESPACE ?? 'https://gatehouse.dev/'
        const claimsNamespace = namespace.endsWith('/') ? namespace : `${namespace}/`
        return {
          provider: 'auth0' as const,
          domain: env.AUTH0_DOMAIN,
          clientId: env.AUTH0_CLIENT_ID,
          clientSecret: env.AUTH0_CLIENT_SECRET,
          secret: env.AUTH0_SECRET,
          claimsNamespace,
          // An Auth0 Action adds namespaced claims; the organization is Auth0's own `org_id`.
          claims: claimNames(env, null, { tenant: 'org_id' }, claimsNamespace),
          apiAudience: env.AUTH0_API_AUDIENCE ?? null,
        }
      }),
    signIn: 'redirect',
    spoofableHeaders: [],
    csp: (settings) => ({ form: [/^https?:\/\//.test(settings.domain) ? new URL(settings.domain).origin : `https://${settings.domain}`] }),
    load: async () => {
      const { auth0Provider } = await import('./auth0.ts')
      return { create: auth0Provider }
    },
  }),
} satisfies { [Name in ProviderName]: ProviderDefinition<Name> }

export { PROVIDER_NAMES }

/** Clerk's publishable key is `pk_(test|live)_` + base64("<frontend API host>$"); tokens are issued by that host. */
export function clerkIssuer(publishableKey: string): string {
  const host = Buffer.from(publishableKey.replace(/^pk_(test|live)_/, ''), 'base64')
    .toString('utf8')
    .replace(/\$$/, '')
  return `https://${host}`
}

/** Headers a client could use to pose as someone: stripped from every request whatever the provider. */
export const SPOOFABLE_HEADERS = [
  'x-middleware-subrequest',
  'x-user',
  'x-user-id',
  'x-user-email',
  'x-user-roles',
  'x-roles',
  'x-tenant',
  'x-plan',
  'x-viewer',
  'x-forwarded-user',
  'x-forwarded-email',
  'x-forwarded-groups',
  'x-auth-request-user',
  'x-auth-request-email',
  'x-auth-request-groups',
  'remote-user',
  'x-gatehouse-*',
  ...Object.values(PROVIDERS).flatMap((provider) => provider.spoofableHeaders),
]
