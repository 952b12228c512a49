import 'server-only'
import { z } from 'zod'
import { PROVIDERS, PROVIDER_NAMES, type AuthSettings, type ProviderName } from '@/lib/auth/providers/registry'
import { TARGETS, TARGET_NAMES, secretEnvOf, type SyncRuntime, type TargetDefinition, type TargetName } from '@/lib/sync/targets/registry'
import { localDefaults } from './defaults'
import { apiVersion, ConfigError, optional, problemsOf, seconds, url, wholeNumber, type Env } from './env'
import { syncRuntime, syncTimeoutMs } from './sync'

/**
 * Every Gatehouse setting, read once from the environment and validated in one place: the base
 * settings below, the configured identity provider's (its registry entry's schema, chosen by
 * AUTH_PROVIDER) and each sync target's (its registry entry's schema, required once its webhook secret
 * is set). Unset content or auth settings mean the embedded defaults; every missing or malformed
 * variable is named in one error at start-up. Nothing else in the app reads process.env.
 */

export type { AuthSettings, ProviderName } from '@/lib/auth/providers/registry'
export type { ClaimNames } from '@/lib/auth/viewer'

export type StoreConfig = { kind: 'memory' } | { kind: 'redis'; url: string; clientCache: boolean }
export type ContentConfig = {
  mode: 'local' | 'sanity'
  projectId: string
  dataset: string
  apiVersion: string
  token: string
  /** Editor token for write-backs (the Okta target); never used to read content for readers. */
  writeToken: string | null
  /** Local lake only: @sanity/client's apiHost. */
  apiHost?: string
  /**
   * Where image assets are served, under Sanity's URL scheme (`/images/<project>/<dataset>/<file>`):
   * Sanity's CDN, or the local lake. Browsers load images from here (CSP img-src allows it).
   */
  imageBaseUrl: string
  /** The shared content cache by audience (lib/content/cache.ts; README, *Caching model*). */
  cache: ContentCacheConfig
}
/**
 * `seconds`: how long a cached reader result is served as fresh when no publish expired it first (0:
 * nothing is cached; only with the `content` webhook, which expires entries on publish). `staleSeconds`:
 * how long past that an entry may still be served, once, while it is read again — the last good page
 * for its audience while Sanity does not answer.
 */
export type ContentCacheConfig = { seconds: number; staleSeconds: number }
/** The access-decision audit trail (lib/audit): where events go, how many the store keeps, for how long. */
/**
 * `maxEvents` bounds the signed-out list and what /audit merges at once; `maxEventsPerReader` bounds each
 * signed-in reader's own list, so no reader's activity can push out another's (lib/audit/sinks.ts).
 */
export type AuditConfig = { sinks: AuditSinkName[]; maxEvents: number; maxEventsPerReader: number; retentionDays: number }
export type AuditSinkName = 'stdout' | 'store'
/** A target in use: its webhook secret and settings. Absent targets answer 404 "not enabled". */
export type SyncTargetConfig = { secret: string; settings: unknown }
/** A rate-limited surface (lib/ratelimit): its budget per window per key. */
export type RateLimitSurface = 'search' | 'mcp' | 'mcpToolCalls' | 'md' | 'llmsFull' | 'notFound' | 'badTokens'
/**
 * Rate limits (lib/ratelimit; README, *Rate limits*): fixed windows of `windowSeconds`, a budget per
 * surface per key (0: that surface is not limited), counted in the shared store. The client's address
 * is read from `clientIp.header` — the `hops`-th address from the right of its comma-separated list,
 * which is the one the nearest trusted proxy saw (Vercel overwrites `x-forwarded-for` with the client's
 * address; nginx with `$proxy_add_x_forwarded_for` appends it).
 */
export type RateLimitConfig = {
  windowSeconds: number
  limits: Record<RateLimitSurface, number>
  clientIp: { header: string; hops: number }
  /** JSON-RPC messages one MCP request may batch. */
  mcpMaxBatch: number
}

export type Config = {
  appBaseUrl: string
  production: boolean
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
  audit: AuditConfig
  rateLimit: RateLimitConfig
  content: ContentConfig
  auth: AuthSettings
  sync: { runtime: SyncRuntime; timeoutMs: number; targets: Partial<Record<TargetName, SyncTargetConfig>> }
}

export { ConfigError }

const baseSchema = z.object({
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
  SANITY_API_VERSION: apiVersion,
  SANITY_API_READ_TOKEN: optional,
  SANITY_API_WRITE_TOKEN: optional,
  LOCAL_LAKE_URL: url('LOCAL_LAKE_URL'),
  SANITY_IMAGE_BASE_URL: url('SANITY_IMAGE_BASE_URL'),
  AUTH_PROVIDER: optional.pipe(z.enum(PROVIDER_NAMES, { message: `AUTH_PROVIDER must be one of ${PROVIDER_NAMES.join(', ')}` }).optional()),
  EDITOR_ROLE: optional,
  SYNC_RUNTIME: syncRuntime,
  SYNC_TIMEOUT_MS: syncTimeoutMs,
  CONTENT_CACHE_SECONDS: seconds('CONTENT_CACHE_SECONDS', 0, 86_400),
  CONTENT_STALE_SECONDS: seconds('CONTENT_STALE_SECONDS', 0, 7 * 86_400),
  VERCEL: optional,
  // The audit trail (lib/audit): sinks as a comma-separated list, or `none`; store retention bounds.
  AUDIT_SINKS: optional.pipe(
    z
      .string()
      .regex(/^\s*(none|(stdout|store)(\s*,\s*(stdout|store))*)\s*$/, {
        message: 'AUDIT_SINKS must be none, or a list of stdout and store (e.g. stdout,store)',
      })
      .transform((v) => [...new Set(v.split(',').map((s) => s.trim()))].filter((s): s is AuditSinkName => s === 'stdout' || s === 'store'))
      .optional(),
  ),
  AUDIT_MAX_EVENTS: wholeNumber('AUDIT_MAX_EVENTS', 100, 50_000),
  AUDIT_MAX_EVENTS_PER_READER: wholeNumber('AUDIT_MAX_EVENTS_PER_READER', 10, 50_000),
  AUDIT_RETENTION_DAYS: wholeNumber('AUDIT_RETENTION_DAYS', 1, 90, 'days'),
  // Rate limits (lib/ratelimit): a budget per window per reader or client; 0 turns one off.
  RATE_LIMIT_WINDOW_SECONDS: seconds('RATE_LIMIT_WINDOW_SECONDS', 1, 3600),
  RATE_LIMIT_SEARCH: wholeNumber('RATE_LIMIT_SEARCH', 0, 1_000_000),
  RATE_LIMIT_MCP: wholeNumber('RATE_LIMIT_MCP', 0, 1_000_000),
  RATE_LIMIT_MCP_TOOL_CALLS: wholeNumber('RATE_LIMIT_MCP_TOOL_CALLS', 0, 1_000_000),
  RATE_LIMIT_MD: wholeNumber('RATE_LIMIT_MD', 0, 1_000_000),
  RATE_LIMIT_LLMS_FULL: wholeNumber('RATE_LIMIT_LLMS_FULL', 0, 1_000_000),
  RATE_LIMIT_NOT_FOUND: wholeNumber('RATE_LIMIT_NOT_FOUND', 0, 1_000_000),
  RATE_LIMIT_BAD_TOKENS: wholeNumber('RATE_LIMIT_BAD_TOKENS', 0, 1_000_000),
  MCP_MAX_BATCH: wholeNumber('MCP_MAX_BATCH', 1, 100),
  CLIENT_IP_HEADER: optional.pipe(
    z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/i, { message: 'CLIENT_IP_HEADER must be a header name (letters, digits, dashes)' })
      .transform((v) => v.toLowerCase())
      .optional(),
  ),
  CLIENT_IP_PROXY_HOPS: wholeNumber('CLIENT_IP_PROXY_HOPS', 1, 10),
})

type Base = z.infer<typeof baseSchema>

function requireAll(env: Base, names: (keyof Base)[], when: string, problems: string[]): void {
  for (const name of names) if (env[name] === undefined) problems.push(`${name} is required ${when}`)
}

/** A target is in use when its secret is set (or, on the embedded defaults in development, by default). */
function syncTargets(source: Env, base: Base, provider: ProviderName, development: boolean, problems: string[]): Config['sync']['targets'] {
  const targets: Config['sync']['targets'] = {}
  for (const name of TARGET_NAMES) {
    const definition = TARGETS[name] as TargetDefinition
    if (definition.onlyWithProvider && definition.onlyWithProvider !== provider) continue
    const configured = source[secretEnvOf(name)]?.trim()
    // The embedded defaults' public dev secret: only the local lake signs with it, never in production.
    const secret = configured || (definition.devDefault && development ? localDefaults.webhookSecret : undefined)
    if (!secret) continue
    const settings = definition.settings.safeParse(source)
    if (settings.success) targets[name] = { secret, settings: settings.data }
    else if (configured) problems.push(...problemsOf(settings.error))
  }
  if (!targets.content && base.CONTENT_CACHE_SECONDS)
    problems.push(
      'SANITY_WEBHOOK_SECRET_CONTENT is required when CONTENT_CACHE_SECONDS is set (without the content webhook a publish would not reach the cache)',
    )
  if (targets.okta && base.SANITY_PROJECT_ID && !base.SANITY_API_WRITE_TOKEN)
    problems.push('SANITY_API_WRITE_TOKEN is required when SANITY_WEBHOOK_SECRET_OKTA is set (the group id is written back)')
  return targets
}

export function parseConfig(source: Env): Config {
  const parsed = baseSchema.safeParse(source)
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error))
  const env = parsed.data
  const problems: string[] = []
  const contentMode = env.SANITY_PROJECT_ID ? 'sanity' : 'local'
  const provider = env.AUTH_PROVIDER ?? 'local'
  const production = env.NODE_ENV === 'production' && env.NEXT_PHASE !== 'phase-production-build'

  if (contentMode === 'sanity') requireAll(env, ['SANITY_DATASET', 'SANITY_API_READ_TOKEN'], 'when SANITY_PROJECT_ID is set', problems)
  const auth = PROVIDERS[provider].settings.safeParse(source)
  if (!auth.success) problems.push(...problemsOf(auth.error))
  // Every provider seals something with it (sessions, preview cookies): never the public dev secret
  // in a production server or next to real content. (The OIDC family requires it anyway.)
  if (!env.SESSION_SECRET && !problems.some((p) => p.startsWith('SESSION_SECRET'))) {
    if (production) problems.push('SESSION_SECRET is required when NODE_ENV=production')
    else if (contentMode === 'sanity') problems.push('SESSION_SECRET is required when SANITY_PROJECT_ID is set')
  }
  if (env.VERCEL) {
    // A deployment must never run on the public dev-only secrets of the embedded defaults.
    if (contentMode === 'local') problems.push('SANITY_PROJECT_ID is required on Vercel (the local content lake is for development)')
    if (provider === 'local') problems.push('AUTH_PROVIDER is required on Vercel (the local IdP is for development)')
    // Serverless instances share nothing in memory: ended sessions and access changes need Redis.
    if (!env.REDIS_URL) problems.push('REDIS_URL is required on Vercel (ended sessions and access changes must reach every instance)')
  }
  const targets = syncTargets(source, env, provider, contentMode === 'local' && !production, problems)
  if (problems.length > 0 || !auth.success) throw new ConfigError(problems)

  const appBaseUrl = (env.APP_BASE_URL ?? localDefaults.appBaseUrl).replace(/\/$/, '')
  const cacheSeconds = targets.content ? (env.CONTENT_CACHE_SECONDS ?? 300) : 0
  const cache: ContentCacheConfig = { seconds: cacheSeconds, staleSeconds: cacheSeconds === 0 ? 0 : (env.CONTENT_STALE_SECONDS ?? 86_400) }
  const content: ContentConfig =
    contentMode === 'sanity'
      ? {
          mode: 'sanity',
          projectId: env.SANITY_PROJECT_ID ?? '',
          dataset: env.SANITY_DATASET ?? '',
          apiVersion: env.SANITY_API_VERSION ?? localDefaults.apiVersion,
          token: env.SANITY_API_READ_TOKEN ?? '',
          writeToken: env.SANITY_API_WRITE_TOKEN ?? null,
          imageBaseUrl: (env.SANITY_IMAGE_BASE_URL ?? 'https://cdn.sanity.io').replace(/\/$/, ''),
          cache,
        }
      : {
          mode: 'local',
          projectId: 'local',
          dataset: env.SANITY_DATASET ?? localDefaults.dataset,
          apiVersion: env.SANITY_API_VERSION ?? localDefaults.apiVersion,
          token: env.SANITY_API_READ_TOKEN ?? localDefaults.lakeReadToken,
          writeToken: env.SANITY_API_WRITE_TOKEN ?? localDefaults.lakeWriteToken,
          apiHost: env.LOCAL_LAKE_URL ?? localDefaults.lakeUrl,
          imageBaseUrl: (env.SANITY_IMAGE_BASE_URL ?? env.LOCAL_LAKE_URL ?? localDefaults.lakeUrl).replace(/\/$/, ''),
          cache,
        }
  return {
    appBaseUrl,
    production,
    editorRole: env.EDITOR_ROLE ?? 'content_editor',
    secureCookies: appBaseUrl.startsWith('https://'),
    session: { secret: env.SESSION_SECRET ?? localDefaults.sessionSecret, maxAgeSeconds: env.SESSION_MAX_AGE_SECONDS ?? 8 * 3600 },
    access: { recheckSeconds: env.ACCESS_RECHECK_SECONDS ?? 300 },
    store: env.REDIS_URL ? { kind: 'redis', url: env.REDIS_URL, clientCache: env.REDIS_CLIENT_CACHE !== 'off' } : { kind: 'memory' },
    audit: {
      sinks: env.AUDIT_SINKS ?? ['stdout', 'store'],
      maxEvents: env.AUDIT_MAX_EVENTS ?? 5000,
      maxEventsPerReader: env.AUDIT_MAX_EVENTS_PER_READER ?? 200,
      retentionDays: env.AUDIT_RETENTION_DAYS ?? 7,
    },
    rateLimit: {
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS ?? RATE_LIMIT_DEFAULTS.windowSeconds,
      limits: {
        search: env.RATE_LIMIT_SEARCH ?? RATE_LIMIT_DEFAULTS.limits.search,
        mcp: env.RATE_LIMIT_MCP ?? RATE_LIMIT_DEFAULTS.limits.mcp,
        mcpToolCalls: env.RATE_LIMIT_MCP_TOOL_CALLS ?? RATE_LIMIT_DEFAULTS.limits.mcpToolCalls,
        md: env.RATE_LIMIT_MD ?? RATE_LIMIT_DEFAULTS.limits.md,
        llmsFull: env.RATE_LIMIT_LLMS_FULL ?? RATE_LIMIT_DEFAULTS.limits.llmsFull,
        notFound: env.RATE_LIMIT_NOT_FOUND ?? RATE_LIMIT_DEFAULTS.limits.notFound,
        badTokens: env.RATE_LIMIT_BAD_TOKENS ?? RATE_LIMIT_DEFAULTS.limits.badTokens,
      },
      clientIp: { header: env.CLIENT_IP_HEADER ?? RATE_LIMIT_DEFAULTS.clientIp.header, hops: env.CLIENT_IP_PROXY_HOPS ?? RATE_LIMIT_DEFAULTS.clientIp.hops },
      mcpMaxBatch: env.MCP_MAX_BATCH ?? RATE_LIMIT_DEFAULTS.mcpMaxBatch,
    },
    content,
    auth: auth.data,
    sync: { runtime: env.SYNC_RUNTIME ?? 'webhook', timeoutMs: env.SYNC_TIMEOUT_MS ?? 10_000, targets },
  }
}

/**
 * Per minute, per reader (signed in) or client address: far above what a person reading, typing in
 * search (debounced) or a polite crawler does, far below what one script can ask for.
 */
export const RATE_LIMIT_DEFAULTS: RateLimitConfig = {
  windowSeconds: 60,
  limits: { search: 120, mcp: 120, mcpToolCalls: 300, md: 300, llmsFull: 10, notFound: 60, badTokens: 30 },
  clientIp: { header: 'x-forwarded-for', hops: 1 },
  // MCP 2025-06-18 dropped JSON-RPC batching and the SDK's own client never batches (lib/mcp/batch.ts).
  mcpMaxBatch: 10,
}

let loaded: Config | undefined
/** The validated configuration of this server process. Throws a ConfigError naming what is missing. */
export function getConfig(): Config {
  return (loaded ??= parseConfig(process.env))
}
