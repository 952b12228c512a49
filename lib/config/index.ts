import 'server-only'
import { z } from 'zod'
import { localDefaults } from './defaults'

/**
 * Gatehouse settings, read once from the environment and validated. Unset content or auth settings
 * mean the embedded defaults (local lake, local IdP); choosing a real service makes its variables
 * required, and every missing one is named in the error.
 */
export type ClaimNames = { roles: string; tenant: string; plan: string }

export type OidcAuthConfig = {
  provider: 'local' | 'oidc' | 'okta'
  issuer: string
  clientId: string
  clientSecret: string
  scopes: string
  claims: ClaimNames
}
export type DescopeAuthConfig = {
  provider: 'descope'
  projectId: string
  baseUrl?: string
  flowId: string
  planClaim: string
  /** Exact `iss` values a session token may carry (the SDK only checks that it ends in the project id). */
  issuers: string[]
}
export type ClerkAuthConfig = {
  provider: 'clerk'
  publishableKey: string
  secretKey: string
  jwtKey?: string
  metadataClaim: string
  /** The exact `iss` of session tokens: the Frontend API URL encoded in the publishable key. */
  issuer: string
}
export type Auth0AuthConfig = {
  provider: 'auth0'
  domain: string
  clientId: string
  clientSecret: string
  secret: string
  claimsNamespace: string
}
export type AuthConfig = OidcAuthConfig | DescopeAuthConfig | ClerkAuthConfig | Auth0AuthConfig
export type AuthProviderName = AuthConfig['provider']

export type StoreConfig = { kind: 'memory' } | { kind: 'redis'; url: string; clientCache: boolean }

export type Config = {
  appBaseUrl: string
  /** Readers holding this role may preview any audience and see why access is denied. */
  editorRole: string
  secureCookies: boolean
  session: { secret: string; maxAgeSeconds: number }
  /**
   * Sessions Gatehouse holds (local, oidc, okta, auth0) re-validate their claims with the IdP at
   * most this often; a member's Sanity profile applies on the next request regardless.
   */
  access: { recheckSeconds: number }
  /** Where ended sessions, members' current access and webhook de-duplication live (lib/store). */
  store: StoreConfig
  content: {
    mode: 'local' | 'sanity'
    projectId: string
    dataset: string
    apiVersion: string
    token: string
    /** Local lake only: @sanity/client's apiHost. */
    apiHost?: string
  }
  auth: AuthConfig
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Gatehouse configuration is incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`)
    this.name = 'ConfigError'
  }
}

const optional = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()
const url = (name: string) =>
  optional.refine((value) => value === undefined || URL.canParse(value), { message: `${name} must be an absolute URL` })

const seconds = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `${name} must be a whole number of seconds` })
    .transform(Number)
    .pipe(z.number().min(min, { message: `${name} must be at least ${min}` }).max(max, { message: `${name} must be at most ${max}` }))
    .optional()

const envSchema = z.object({
  NODE_ENV: optional,
  /** Set by Next while it builds; no request is served then, so run-time-only rules wait for start-up. */
  NEXT_PHASE: optional,
  APP_BASE_URL: url('APP_BASE_URL'),
  SESSION_SECRET: optional.refine((v) => v === undefined || v.length >= 32, {
    message: 'SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)',
  }),
  SESSION_MAX_AGE_SECONDS: seconds('SESSION_MAX_AGE_SECONDS', 60, 30 * 86400),
  ACCESS_RECHECK_SECONDS: seconds('ACCESS_RECHECK_SECONDS', 1, 86400),
  REDIS_URL: optional.refine((v) => v === undefined || /^rediss?:\/\/./.test(v), { message: 'REDIS_URL must start with redis:// or rediss://' }),
  REDIS_CLIENT_CACHE: optional.pipe(z.enum(['on', 'off'], { message: 'REDIS_CLIENT_CACHE must be on or off' }).optional()),
  SANITY_PROJECT_ID: optional,
  SANITY_DATASET: optional,
  SANITY_API_VERSION: optional.refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), {
    message: 'SANITY_API_VERSION must look like 2025-02-19',
  }),
  SANITY_API_READ_TOKEN: optional,
  LOCAL_LAKE_URL: url('LOCAL_LAKE_URL'),
  AUTH_PROVIDER: optional.pipe(z.enum(['local', 'oidc', 'okta', 'descope', 'clerk', 'auth0']).optional()),
  LOCAL_IDP_URL: url('LOCAL_IDP_URL'),
  OIDC_ISSUER: url('OIDC_ISSUER'),
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  OIDC_SCOPES: optional,
  OIDC_ROLES_CLAIM: optional,
  OIDC_TENANT_CLAIM: optional,
  OIDC_PLAN_CLAIM: optional,
  DESCOPE_PROJECT_ID: optional,
  DESCOPE_BASE_URL: url('DESCOPE_BASE_URL'),
  DESCOPE_FLOW_ID: optional,
  DESCOPE_PLAN_CLAIM: optional,
  DESCOPE_ISSUER: url('DESCOPE_ISSUER'),
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: optional.refine((v) => v === undefined || /^pk_(test|live)_/.test(v), {
    message: 'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY must start with pk_test_ or pk_live_',
  }),
  CLERK_SECRET_KEY: optional,
  CLERK_JWT_KEY: optional,
  CLERK_METADATA_CLAIM: optional,
  AUTH0_DOMAIN: optional,
  AUTH0_CLIENT_ID: optional,
  AUTH0_CLIENT_SECRET: optional,
  AUTH0_SECRET: optional,
  AUTH0_CLAIMS_NAMESPACE: optional,
  EDITOR_ROLE: optional,
  VERCEL: optional,
})

type Env = z.infer<typeof envSchema>

/** Names the missing variables; `when` says why they are needed. */
function requireAll(env: Env, names: (keyof Env)[], when: string, problems: string[]): void {
  for (const name of names) if (env[name] === undefined) problems.push(`${name} is required ${when}`)
}

const REQUIRED_BY_PROVIDER: Record<AuthProviderName, (keyof Env)[]> = {
  local: [],
  oidc: ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'SESSION_SECRET', 'APP_BASE_URL'],
  okta: ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'SESSION_SECRET', 'APP_BASE_URL'],
  descope: ['DESCOPE_PROJECT_ID'],
  clerk: ['NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY', 'CLERK_SECRET_KEY'],
  auth0: ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET', 'AUTH0_SECRET', 'APP_BASE_URL'],
}

/** Clerk's publishable key is `pk_(test|live)_` + base64("<frontend API host>$"); tokens are issued by that host. */
export function clerkIssuer(publishableKey: string): string {
  const host = Buffer.from(publishableKey.replace(/^pk_(test|live)_/, ''), 'base64').toString('utf8').replace(/\$$/, '')
  return `https://${host}`
}

function authConfig(provider: AuthProviderName, env: Env): AuthConfig {
  switch (provider) {
    case 'local':
    case 'oidc':
    case 'okta': {
      const local = provider === 'local'
      return {
        provider,
        issuer: local ? (env.LOCAL_IDP_URL ?? localDefaults.idpUrl) : env.OIDC_ISSUER!,
        clientId: local ? localDefaults.oidcClientId : env.OIDC_CLIENT_ID!,
        clientSecret: local ? localDefaults.oidcClientSecret : env.OIDC_CLIENT_SECRET!,
        // offline_access: a refresh token, with which claims are re-validated every ACCESS_RECHECK_SECONDS.
        scopes: env.OIDC_SCOPES ?? `openid profile email ${local ? 'gatehouse ' : provider === 'okta' ? 'groups ' : ''}offline_access`,
        claims: {
          // Okta puts group memberships in a `groups` claim (see README).
          roles: env.OIDC_ROLES_CLAIM ?? (provider === 'okta' ? 'groups' : 'roles'),
          tenant: env.OIDC_TENANT_CLAIM ?? 'tenant',
          plan: env.OIDC_PLAN_CLAIM ?? 'plan',
        },
      }
    }
    case 'descope': {
      const projectId = env.DESCOPE_PROJECT_ID!
      return {
        provider,
        projectId,
        baseUrl: env.DESCOPE_BASE_URL,
        flowId: env.DESCOPE_FLOW_ID ?? 'sign-up-or-in',
        planClaim: env.DESCOPE_PLAN_CLAIM ?? 'plan',
        // Descope's issuer is its API URL plus the project id (older tokens: the bare project id).
        issuers: env.DESCOPE_ISSUER ? [env.DESCOPE_ISSUER] : [`https://api.descope.com/${projectId}`, projectId],
      }
    }
    case 'clerk':
      return {
        provider,
        publishableKey: env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY!,
        secretKey: env.CLERK_SECRET_KEY!,
        jwtKey: env.CLERK_JWT_KEY,
        metadataClaim: env.CLERK_METADATA_CLAIM ?? 'metadata',
        issuer: clerkIssuer(env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY!),
      }
    case 'auth0': {
      const namespace = env.AUTH0_CLAIMS_NAMESPACE ?? 'https://gatehouse.dev/'
      return {
        provider,
        domain: env.AUTH0_DOMAIN!,
        clientId: env.AUTH0_CLIENT_ID!,
        clientSecret: env.AUTH0_CLIENT_SECRET!,
        secret: env.AUTH0_SECRET!,
        claimsNamespace: namespace.endsWith('/') ? namespace : `${namespace}/`,
      }
    }
  }
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(source)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  const env = parsed.data
  const problems: string[] = []
  const contentMode = env.SANITY_PROJECT_ID ? 'sanity' : 'local'
  const provider = env.AUTH_PROVIDER ?? 'local'

  if (contentMode === 'sanity') {
    requireAll(env, ['SANITY_DATASET', 'SANITY_API_READ_TOKEN'], 'when SANITY_PROJECT_ID is set', problems)
  }
  requireAll(env, REQUIRED_BY_PROVIDER[provider], `when AUTH_PROVIDER=${provider}`, problems)
  // Every provider seals something with it (sessions, preview cookies): never the public dev secret
  // in a production build or next to real content.
  if (!env.SESSION_SECRET && !REQUIRED_BY_PROVIDER[provider].includes('SESSION_SECRET')) {
    if (env.NODE_ENV === 'production' && env.NEXT_PHASE !== 'phase-production-build') problems.push('SESSION_SECRET is required when NODE_ENV=production')
    else if (contentMode === 'sanity') problems.push('SESSION_SECRET is required when SANITY_PROJECT_ID is set')
  }
  if (env.VERCEL) {
    // A deployment must never run on the public dev-only secrets of the embedded defaults.
    if (contentMode === 'local') problems.push('SANITY_PROJECT_ID is required on Vercel (the local content lake is for development)')
    if (provider === 'local') problems.push('AUTH_PROVIDER is required on Vercel (the local IdP is for development)')
    // Serverless instances share nothing in memory: ended sessions and access changes need Redis.
    if (!env.REDIS_URL) problems.push('REDIS_URL is required on Vercel (ended sessions and access changes must reach every instance)')
  }
  if (problems.length > 0) throw new ConfigError(problems)

  const appBaseUrl = (env.APP_BASE_URL ?? localDefaults.appBaseUrl).replace(/\/$/, '')
  return {
    appBaseUrl,
    editorRole: env.EDITOR_ROLE ?? 'content_editor',
    secureCookies: appBaseUrl.startsWith('https://'),
    session: {
      secret: env.SESSION_SECRET ?? localDefaults.sessionSecret,
      maxAgeSeconds: env.SESSION_MAX_AGE_SECONDS ?? 8 * 3600,
    },
    access: { recheckSeconds: env.ACCESS_RECHECK_SECONDS ?? 300 },
    store: env.REDIS_URL ? { kind: 'redis', url: env.REDIS_URL, clientCache: env.REDIS_CLIENT_CACHE !== 'off' } : { kind: 'memory' },
    content:
      contentMode === 'sanity'
        ? {
            mode: 'sanity',
            projectId: env.SANITY_PROJECT_ID!,
            dataset: env.SANITY_DATASET!,
            apiVersion: env.SANITY_API_VERSION ?? localDefaults.apiVersion,
            token: env.SANITY_API_READ_TOKEN!,
          }
        : {
            mode: 'local',
            projectId: 'local',
            dataset: env.SANITY_DATASET ?? localDefaults.dataset,
            apiVersion: env.SANITY_API_VERSION ?? localDefaults.apiVersion,
            token: env.SANITY_API_READ_TOKEN ?? localDefaults.lakeReadToken,
            apiHost: env.LOCAL_LAKE_URL ?? localDefaults.lakeUrl,
          },
    auth: authConfig(provider, env),
  }
}

let loaded: Config | undefined
/** The validated configuration of this server process. Throws a ConfigError naming what is missing. */
export function getConfig(): Config {
  return (loaded ??= parseConfig(process.env))
}
