import 'server-only'
import { z } from 'zod'
import { localDefaults } from './defaults'

/**
 * Gatehouse settings, read once from the environment and validated. Unset content or auth settings
 * mean the embedded defaults (local lake, local IdP); configuring a real service makes its
 * variables required, and a missing one is named in the error.
 */
export type Config = {
  appBaseUrl: string
  secureCookies: boolean
  session: { secret: string; maxAgeSeconds: number }
  content: {
    mode: 'local' | 'sanity'
    projectId: string
    dataset: string
    apiVersion: string
    token: string
    /** Local lake only: @sanity/client's apiHost. */
    apiHost?: string
  }
  auth: {
    provider: 'local' | 'oidc'
    issuer: string
    clientId: string
    clientSecret: string
    scopes: string
    claims: { roles: string; tenant: string; plan: string }
  }
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

const envSchema = z.object({
  APP_BASE_URL: url('APP_BASE_URL'),
  SESSION_SECRET: optional.refine((v) => v === undefined || v.length >= 32, {
    message: 'SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 32`)',
  }),
  SESSION_MAX_AGE_SECONDS: z
    .string()
    .regex(/^\d+$/, { message: 'SESSION_MAX_AGE_SECONDS must be a whole number of seconds' })
    .transform(Number)
    .pipe(z.number().min(60).max(30 * 86400))
    .optional(),
  SANITY_PROJECT_ID: optional,
  SANITY_DATASET: optional,
  SANITY_API_VERSION: optional.refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), {
    message: 'SANITY_API_VERSION must look like 2025-02-19',
  }),
  SANITY_API_READ_TOKEN: optional,
  LOCAL_LAKE_URL: url('LOCAL_LAKE_URL'),
  AUTH_PROVIDER: z.enum(['local', 'oidc']).optional().or(z.literal('').transform(() => undefined)),
  LOCAL_IDP_URL: url('LOCAL_IDP_URL'),
  OIDC_ISSUER: url('OIDC_ISSUER'),
  OIDC_CLIENT_ID: optional,
  OIDC_CLIENT_SECRET: optional,
  OIDC_SCOPES: optional,
  OIDC_ROLES_CLAIM: optional,
  OIDC_TENANT_CLAIM: optional,
  OIDC_PLAN_CLAIM: optional,
  VERCEL: optional,
})

type Env = z.infer<typeof envSchema>

/** Names the missing variables; `when` says why they are needed. */
function requireAll(env: Env, names: (keyof Env)[], when: string, problems: string[]): void {
  for (const name of names) if (env[name] === undefined) problems.push(`${name} is required ${when}`)
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(source)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  const env = parsed.data
  const problems: string[] = []
  const contentMode = env.SANITY_PROJECT_ID ? 'sanity' : 'local'
  const authProvider = env.AUTH_PROVIDER ?? 'local'

  if (contentMode === 'sanity') {
    requireAll(env, ['SANITY_DATASET', 'SANITY_API_READ_TOKEN'], 'when SANITY_PROJECT_ID is set', problems)
  }
  if (authProvider === 'oidc') {
    requireAll(env, ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'SESSION_SECRET', 'APP_BASE_URL'], 'when AUTH_PROVIDER=oidc', problems)
  }
  if (env.VERCEL) {
    // A deployment must never run on the public dev-only secrets of the embedded defaults.
    if (contentMode === 'local') problems.push('SANITY_PROJECT_ID is required on Vercel (the local content lake is for development)')
    if (authProvider === 'local') problems.push('AUTH_PROVIDER is required on Vercel (the local IdP is for development)')
  }
  if (problems.length > 0) throw new ConfigError(problems)

  const appBaseUrl = (env.APP_BASE_URL ?? localDefaults.appBaseUrl).replace(/\/$/, '')
  const local = authProvider === 'local'
  return {
    appBaseUrl,
    secureCookies: appBaseUrl.startsWith('https://'),
    session: {
      secret: env.SESSION_SECRET ?? localDefaults.sessionSecret,
      maxAgeSeconds: env.SESSION_MAX_AGE_SECONDS ?? 8 * 3600,
    },
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
    auth: {
      provider: authProvider,
      issuer: local ? (env.LOCAL_IDP_URL ?? localDefaults.idpUrl) : env.OIDC_ISSUER!,
      clientId: local ? localDefaults.oidcClientId : env.OIDC_CLIENT_ID!,
      clientSecret: local ? localDefaults.oidcClientSecret : env.OIDC_CLIENT_SECRET!,
      scopes: env.OIDC_SCOPES ?? (local ? 'openid profile email gatehouse' : 'openid profile email'),
      claims: {
        roles: env.OIDC_ROLES_CLAIM ?? 'roles',
        tenant: env.OIDC_TENANT_CLAIM ?? 'tenant',
        plan: env.OIDC_PLAN_CLAIM ?? 'plan',
      },
    },
  }
}

/** The validated configuration of this server process. Throws a ConfigError naming what is missing. */
let loaded: Config | undefined
export function getConfig(): Config {
  return (loaded ??= parseConfig(process.env))
}

