// One app + stand-ins per identity provider, each on its own ports, all from the same build.
// Secrets here are TEST-ONLY values for local stand-ins.
import { createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { findRedisServer } from '../dev/provision.mjs'

export type ProviderName = 'local' | 'okta' | 'auth0' | 'descope' | 'clerk' | 'sync' | 'functions' | 'cluster' | 'scale'

/** An extra process of a stack; ready when `url` answers, or when `port` accepts connections. */
export type ExtraServer = { command: string; url?: string; port?: number; env?: Record<string, string> }
/** `setup`: a command run before the stack starts (e.g. generating its dataset). */
type Stack = { app: number; idp: number; lake: number; env: Record<string, string>; extraServers?: ExtraServer[]; setup?: string }

const testKeys = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/test-keys.json'), 'utf8')) as Record<string, Record<string, string>>
export const descopeTestKey = testKeys.descope!
export const clerkTestKey = testKeys.clerk!
/** Same kid as the Descope key, different key material: a forged signature. */
export const foreignTestKey = testKeys.other!

export const DESCOPE_PROJECT_ID = 'P2gatehousetest'
/** A pk_test_ key is base64 of the Frontend API host plus '$'; this host never needs to exist. */
export const CLERK_PUBLISHABLE_KEY = `pk_test_${Buffer.from('clerk.gatehouse.test$').toString('base64')}`

const clerkPublicPem = createPublicKey({ key: clerkTestKey as unknown as import('node:crypto').JsonWebKey, format: 'jwk' })
  .export({ type: 'spki', format: 'pem' })
  .toString()

/** Budgets far above any suite's traffic from one address (lib/config `rateLimit`). */
export const E2E_RATE_LIMITS = {
  RATE_LIMIT_SEARCH: '100000',
  RATE_LIMIT_MCP: '100000',
  RATE_LIMIT_MCP_TOOL_CALLS: '100000',
  RATE_LIMIT_MD: '100000',
  RATE_LIMIT_LLMS_FULL: '100000',
  RATE_LIMIT_NOT_FOUND: '100000',
  RATE_LIMIT_BAD_TOKENS: '100000',
}

const sessionSecret = 'e2e-session-secret-0123456789abcdef-0123456789'

// What `npm test`'s provisioning step found (REDIS_SERVER_BIN or PATH); looked up here, not required, so
// a run of other stacks does not need one.
const foundRedis = findRedisServer()
const redisServer = foundRedis && 'path' in foundRedis ? foundRedis.path : 'redis-server'

export const stacks: Record<ProviderName, Stack> = {
  // Claims re-validated with the IdP every 5 s, so a change made in the IdP is seen within the test.
  local: { app: 3100, idp: 4100, lake: 4101, env: { ACCESS_RECHECK_SECONDS: '5' } },
  // The embedded defaults again, on their own: the publish → webhook → IdP loop changes users.
  sync: { app: 3600, idp: 4600, lake: 4601, env: { SANITY_WEBHOOK_SECRET_LOCAL: 'e2e-sync-webhook-secret' } },
  // The same loop with SYNC_RUNTIME=functions: the lake runs the sync functions (lib/sync/function.ts)
  // as Sanity would, `local` applying at the IdP and `access` calling the app, signed.
  functions: { app: 3650, idp: 4650, lake: 4651, env: { SYNC_RUNTIME: 'functions' } },
  // Two app instances sharing one Redis (a real redis-server): what one instance learns — a sign-out,
  // an access change, a webhook delivery — the other acts on at once. Instance B listens on app + 1.
  // 10,000 generated docs in 20 sections over 200 roles: the docs layout's size budgets at scale.
  scale: {
    app: 3900,
    idp: 4900,
    lake: 4901,
    env: { LOCAL_LAKE_SEED_FILE: '.data/e2e-scale-seed.ndjson' },
    setup: 'mkdir -p .data && node bench/support/scaled-seed.ts .data/e2e-scale-seed.ndjson',
  },
  cluster: {
    app: 3800,
    idp: 4800,
    lake: 4801,
    // Search's and MCP tool calls' budgets lowered so e2e/cluster can spend them across both instances
    // (no other spec there searches or calls tools).
    env: {
      REDIS_URL: 'redis://127.0.0.1:4802',
      SANITY_WEBHOOK_SECRET_ACCESS: 'e2e-cluster-webhook-secret',
      RATE_LIMIT_SEARCH: '20',
      RATE_LIMIT_MCP_TOOL_CALLS: '30',
    },
    extraServers: [
      { command: `${redisServer} --port 4802 --bind 127.0.0.1 --save '' --appendonly no`, port: 4802 },
      { command: 'node lib/config/heap.mjs next start -p 3801', url: 'http://localhost:3801/sign-in', env: { APP_BASE_URL: 'http://localhost:3801' } },
    ],
  },
  okta: {
    app: 3200,
    idp: 4200,
    lake: 4201,
    env: {
      AUTH_PROVIDER: 'okta',
      OIDC_ISSUER: 'http://localhost:4200',
      OIDC_CLIENT_ID: 'gatehouse-okta-e2e',
      OIDC_CLIENT_SECRET: 'okta-e2e-client-secret',
      OIDC_SCOPES: 'openid profile email gatehouse offline_access',
      LOCAL_IDP_CLAIM_STYLE: 'okta',
      ACCESS_RECHECK_SECONDS: '5',
    },
  },
  auth0: {
    app: 3300,
    idp: 4300,
    lake: 4301,
    env: {
      AUTH_PROVIDER: 'auth0',
      AUTH0_DOMAIN: 'http://localhost:4300',
      AUTH0_CLIENT_ID: 'gatehouse-auth0-e2e',
      AUTH0_CLIENT_SECRET: 'auth0-e2e-client-secret',
      AUTH0_SECRET: sessionSecret,
      AUTH0_CLAIMS_NAMESPACE: 'https://gatehouse.dev/',
      AUTH0_API_AUDIENCE: 'https://docs.gatehouse.test/api',
      LOCAL_IDP_CLAIM_STYLE: 'auth0',
      ACCESS_RECHECK_SECONDS: '5',
    },
  },
  descope: {
    app: 3400,
    idp: 4400,
    lake: 4401,
    env: { AUTH_PROVIDER: 'descope', DESCOPE_PROJECT_ID, DESCOPE_BASE_URL: 'http://localhost:4402' },
    extraServers: [{ command: 'node e2e/stand-ins/descope-keys.ts', url: 'http://localhost:4402/health' }],
  },
  clerk: {
    app: 3500,
    idp: 4500,
    lake: 4501,
    env: {
      AUTH_PROVIDER: 'clerk',
      NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: CLERK_PUBLISHABLE_KEY,
      CLERK_SECRET_KEY: 'sk_test_gatehouse_e2e_not_a_real_key',
      CLERK_JWT_KEY: clerkPublicPem,
      CLERK_TELEMETRY_DISABLED: '1',
    },
  },
}

export function stackEnv(name: ProviderName): Record<string, string> {
  const stack = stacks[name]
  return {
    APP_BASE_URL: `http://localhost:${stack.app}`,
    LOCAL_IDP_URL: `http://localhost:${stack.idp}`,
    LOCAL_LAKE_URL: `http://localhost:${stack.lake}`,
    LOCAL_LAKE_DATA_FILE: `.data/e2e-${name}/lake.ndjson`,
    LOCAL_IDP_KEYS_FILE: `.data/e2e-${name}/idp-keys.json`,
    NEXT_TELEMETRY_DISABLED: '1',
    // next start runs with NODE_ENV=production, where every provider needs a real secret and the
    // dev-only webhook secret is refused; the lake signs with these too.
    SESSION_SECRET: sessionSecret,
    SANITY_WEBHOOK_SECRET_ACCESS: 'e2e-access-webhook-secret',
    SANITY_WEBHOOK_SECRET_LOCAL: 'e2e-local-webhook-secret',
    SANITY_WEBHOOK_SECRET_CONTENT: 'e2e-content-webhook-secret',
    // The trail is kept for /audit; its stdout copy (one line per decision) would drown the CI log.
    AUDIT_SINKS: 'store',
    // Every spec's requests come from one address (localhost): budgets no suite reaches. The 429s
    // themselves are asserted on servers of their own (e2e/limits.spec.ts) and the cluster stack.
    ...E2E_RATE_LIMITS,
    ...stack.env,
  }
}
