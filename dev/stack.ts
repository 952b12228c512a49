// The embedded defaults in one process: the local content lake and the local OIDC IdP, then
// (optionally) the command after `--`, e.g. `node dev/stack.ts -- next dev`. DEV ONLY.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { localDefaults } from '../lib/config/defaults.ts'
import { withHeapPolicy } from '../lib/config/heap.mjs'
import { functionEnvOf } from '../lib/config/sync.ts'
import { startIdp } from './idp/server.ts'
import { seededUsers } from './idp/users.ts'
import { startLake } from './lake/server.ts'
import { secretEnvOf } from '../lib/sync/targets/registry.ts'
import { functionEventDefinitions, webhookDefinitions } from '../sanity/webhooks.ts'
import type { FunctionOptions } from './lake/functions.ts'

const root = resolve(import.meta.dirname, '..')
const env = process.env
const portOf = (url: string) => Number(new URL(url).port || 80)

const appBaseUrl = (env.APP_BASE_URL ?? localDefaults.appBaseUrl).replace(/\/$/, '')
const lakeUrl = env.LOCAL_LAKE_URL ?? localDefaults.lakeUrl
const idpUrl = env.LOCAL_IDP_URL ?? localDefaults.idpUrl

// The targets the lake delivers to: `access` and `content` everywhere; `local` only where the app runs
// the local IdP (elsewhere it answers 404).
const lakeTargets = (env.LOCAL_LAKE_WEBHOOKS || (!env.AUTH_PROVIDER || env.AUTH_PROVIDER === 'local' ? 'access,content,local' : 'access,content')).split(',')
const dataset = env.SANITY_DATASET ?? localDefaults.dataset
const writeToken = env.SANITY_API_WRITE_TOKEN ?? localDefaults.lakeWriteToken

/**
 * SYNC_RUNTIME=functions: the lake runs the sync functions itself, as Sanity would: the function's own
 * code, its `@/` imports resolved as Sanity's bundler resolves them (tsconfig paths), invoked with the
 * event the blueprint declares, reading the lake with a token, `access` calling the app.
 */
async function localFunctions(): Promise<FunctionOptions> {
  const { createJiti } = await import('jiti')
  const jiti = createJiti(import.meta.url, { alias: { '@': root } })
  const { runSyncFunction } = await jiti.import<typeof import('../lib/sync/function.ts')>('../lib/sync/function.ts')
  return {
    definitions: functionEventDefinitions.filter((definition) => lakeTargets.includes(definition.target)),
    async invoke(definition, data) {
      const secretEnv = secretEnvOf(definition.target)
      // Exactly the env its blueprint would give it (the dev secret for the app, on the embedded defaults).
      const functionEnv = functionEnvOf(definition.target, { ...env, APP_BASE_URL: appBaseUrl, [secretEnv]: env[secretEnv] ?? localDefaults.webhookSecret })
      const outcome = await runSyncFunction(
        { context: { clientOptions: { apiHost: lakeUrl, projectId: 'local', dataset, token: writeToken } }, event: { data } },
        functionEnv,
      )
      if (outcome.status >= 500) throw new Error(`${definition.name}: ${outcome.outcome}`)
    },
    log: (line) => console.log(JSON.stringify(line)),
  }
}
const functionsRuntime = env.SYNC_RUNTIME === 'functions'

const lake = await startLake({
  port: portOf(lakeUrl),
  dataFile: resolve(root, env.LOCAL_LAKE_DATA_FILE ?? '.data/lake.ndjson'),
  seedFile: resolve(root, env.LOCAL_LAKE_SEED_FILE ?? 'sanity/seed/seed.ndjson'),
  assetsDir: join(root, 'sanity/seed/assets'),
  dataset,
  tokens: {
    [env.SANITY_API_READ_TOKEN ?? localDefaults.lakeReadToken]: 'read',
    [writeToken]: 'write',
  },
  ...(env.LOCAL_LAKE_LATENCY_MS ? { latencyMs: Number(env.LOCAL_LAKE_LATENCY_MS) } : {}),
  // Publish-time sync on the embedded defaults: the lake fires the webhooks (or runs the functions).
  ...(functionsRuntime
    ? { functions: await localFunctions() }
    : {
        webhooks: {
          baseUrl: appBaseUrl,
          definitions: webhookDefinitions
            .filter((definition) => lakeTargets.includes(definition.target))
            .map((definition) => ({ ...definition, secret: env[definition.secretEnv] ?? localDefaults.webhookSecret })),
          log: (line) => console.log(JSON.stringify(line)),
        },
      }),
})
// The local IdP can also stand in for Okta (groups claim) or Auth0 (namespaced claims) in tests.
const claimStyle = env.LOCAL_IDP_CLAIM_STYLE === 'okta' || env.LOCAL_IDP_CLAIM_STYLE === 'auth0' ? env.LOCAL_IDP_CLAIM_STYLE : 'gatehouse'
const idp = await startIdp({
  port: portOf(idpUrl),
  claimStyle,
  adminToken: env.LOCAL_IDP_ADMIN_TOKEN ?? localDefaults.idpAdminToken,
  keysFile: resolve(root, env.LOCAL_IDP_KEYS_FILE ?? '.data/idp-keys.json'),
  clients: [
    {
      clientId: env.AUTH0_CLIENT_ID ?? env.OIDC_CLIENT_ID ?? localDefaults.oidcClientId,
      clientSecret: env.AUTH0_CLIENT_SECRET ?? env.OIDC_CLIENT_SECRET ?? localDefaults.oidcClientSecret,
      redirectUris: [`${appBaseUrl}/auth/callback`],
      postLogoutRedirectUris: [`${appBaseUrl}/`, appBaseUrl],
    },
    // Another application at the same IdP: its users' tokens must not open this app (tests use it).
    {
      clientId: localDefaults.otherClientId,
      clientSecret: localDefaults.otherClientSecret,
      redirectUris: [`${appBaseUrl}/other-app/callback`],
      postLogoutRedirectUris: [],
    },
  ],
})
console.log(`[stack] local content lake  ${lake.url}  (data: ${env.LOCAL_LAKE_DATA_FILE ?? '.data/lake.ndjson'})`)
console.log(`[stack] local identity provider ${idp.issuer}  (users: ${seededUsers.map((u) => u.username).join(', ')}; password "password")`)

const shutdown = async (code: number) => {
  await Promise.allSettled([lake.close(), idp.close()])
  process.exit(code)
}

const separator = process.argv.indexOf('--')
const command = separator === -1 ? [] : process.argv.slice(separator + 1)
if (command.length === 0) {
  console.log('[stack] running; Ctrl+C to stop')
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(0))
} else {
  const [bin, ...args] = command as [string, ...string[]]
  const local = join(root, 'node_modules/.bin', bin)
  // `next start` runs as `npm start` does: with the heap policy (the e2e stacks and benchmarks measure that).
  const nodeOptions = bin === 'next' && args[0] === 'start' ? { NODE_OPTIONS: withHeapPolicy(env.NODE_OPTIONS) } : {}
  const child = spawn(existsSync(local) ? local : bin, args, {
    stdio: 'inherit',
    env: { ...env, ...nodeOptions, PORT: env.PORT ?? String(portOf(appBaseUrl)), APP_BASE_URL: appBaseUrl, LOCAL_LAKE_URL: lakeUrl, LOCAL_IDP_URL: idpUrl },
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => void shutdown(code ?? (signal ? 1 : 0)))
}
