// The sync runtimes' settings outside the app's own server: what `sanity.blueprint.ts` declares (read
// from the deploying shell by `npx sanity blueprints plan|deploy`) and what a Sanity Function reads
// from the env its blueprint gave it. Pure (zod + the registries), with relative imports: the
// blueprint loader, the function bundle and plain Node (dev/) import it.
import { z } from 'zod'
import { PROVIDER_NAMES } from '../auth/provider-names.ts'
import {
  SYNC_RUNTIMES,
  TARGETS,
  TARGET_NAMES,
  secretEnvOf,
  settingsEnvOf,
  type SyncRuntime,
  type TargetDefinition,
  type TargetName,
} from '../sync/targets/registry.ts'
import { localDefaults } from './defaults.ts'
import { apiVersion, ConfigError, optional, problemsOf, required, wholeNumber, type Env } from './env.ts'

export const syncRuntime = optional.pipe(z.enum(SYNC_RUNTIMES, { message: `SYNC_RUNTIME must be one of ${SYNC_RUNTIMES.join(', ')}` }).optional())

export const syncTimeoutMs = wholeNumber('SYNC_TIMEOUT_MS', 100, 60_000, 'milliseconds')

/** Sanity delivers only to public addresses; a plain-http URL would carry the signed bodies in clear. */
const publicHttpsUrl = (name: string, when: string) =>
  required(name, when).refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', {
    message: `${name} must be an https:// URL Sanity can reach`,
  })

const FOR_BLUEPRINT = 'to declare the sync in a Sanity Blueprint'

const blueprintSchema = z.object({
  APP_BASE_URL: publicHttpsUrl('APP_BASE_URL', FOR_BLUEPRINT),
  SANITY_PROJECT_ID: required('SANITY_PROJECT_ID', FOR_BLUEPRINT).regex(/^[a-z0-9-]{1,64}$/, { message: 'SANITY_PROJECT_ID is not a Sanity project id' }),
  SANITY_DATASET: required('SANITY_DATASET', FOR_BLUEPRINT).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'SANITY_DATASET is not a dataset name' }),
  SANITY_API_VERSION: apiVersion,
  AUTH_PROVIDER: optional.pipe(z.enum(PROVIDER_NAMES, { message: `AUTH_PROVIDER must be one of ${PROVIDER_NAMES.join(', ')}` }).optional()),
  SYNC_RUNTIME: syncRuntime,
  SYNC_TIMEOUT_MS: syncTimeoutMs,
})

export type BlueprintTarget = {
  name: TargetName
  /** Its webhook secret (the webhook runtime, and the signed call of a function that applies in the app). */
  secret: string
  /** The env its Sanity Function gets (SYNC_RUNTIME=functions): only what that target reads. */
  functionEnv: Record<string, string>
}

export type BlueprintConfig = {
  runtime: SyncRuntime
  appBaseUrl: string
  projectId: string
  dataset: string
  targets: BlueprintTarget[]
}

const defined = (entries: [string, string | undefined][]) => Object.fromEntries(entries.filter((entry): entry is [string, string] => !!entry[1]?.trim()))

/**
 * The env a target's function is given: its name, and either what it needs to call the app (a target
 * that applies in the app) or its own settings (one that applies at the IdP). Nothing else: no other
 * target's credentials, no session secret, no Sanity token (a function reads with the one Sanity gives it).
 */
export function functionEnvOf(name: TargetName, source: Env): Record<string, string> {
  const definition = TARGETS[name] as TargetDefinition
  const own: [string, string | undefined][] =
    definition.appliesIn === 'app'
      ? [
          ['APP_BASE_URL', source.APP_BASE_URL],
          [secretEnvOf(name), source[secretEnvOf(name)]],
        ]
      : [
          ...settingsEnvOf(definition).map((key): [string, string | undefined] => [key, source[key]]),
          ['SYNC_TIMEOUT_MS', source.SYNC_TIMEOUT_MS],
          ['SANITY_API_VERSION', source.SANITY_API_VERSION],
        ]
  return { SYNC_TARGET: name, ...defined(own) }
}

/**
 * The sync a blueprint declares: every target whose secret is set (the same switch as the app's),
 * with the settings its function needs. Every missing or unsafe value is named in one error, and a
 * secret is never written anywhere but the env Sanity stores it in.
 */
export function blueprintConfig(source: Env): BlueprintConfig {
  const parsed = blueprintSchema.safeParse(source)
  const problems = parsed.success ? [] : problemsOf(parsed.error)
  const env = parsed.success ? parsed.data : undefined
  const runtime = env?.SYNC_RUNTIME ?? 'webhook'
  const appBaseUrl = env?.APP_BASE_URL.replace(/\/+$/, '') ?? ''
  const targets: BlueprintTarget[] = []
  for (const name of TARGET_NAMES) {
    const definition = TARGETS[name] as TargetDefinition
    const secret = source[secretEnvOf(name)]?.trim()
    if (!secret) continue
    if (definition.onlyWithProvider && definition.onlyWithProvider !== env?.AUTH_PROVIDER) continue
    if (secret === localDefaults.webhookSecret || secret.length < 16) {
      problems.push(`${secretEnvOf(name)} must be a secret of its own (at least 16 characters, not the embedded defaults' dev secret)`)
      continue
    }
    if (runtime === 'functions' && definition.appliesIn === 'idp') {
      const settings = definition.settings.safeParse(source)
      if (!settings.success) problems.push(...problemsOf(settings.error))
    }
    targets.push({ name, secret, functionEnv: functionEnvOf(name, { ...source, APP_BASE_URL: appBaseUrl }) })
  }
  if (problems.length > 0 || !env) throw new ConfigError(problems)
  return { runtime, appBaseUrl, projectId: env.SANITY_PROJECT_ID, dataset: env.SANITY_DATASET, targets }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

const functionSchema = z.object({
  SYNC_TARGET: z.enum(TARGET_NAMES, { message: `SYNC_TARGET must be one of ${TARGET_NAMES.join(', ')} (the function's blueprint sets it)` }),
  SYNC_TIMEOUT_MS: syncTimeoutMs,
  SANITY_API_VERSION: apiVersion,
})

export type FunctionConfig = {
  target: TargetName
  timeoutMs: number
  apiVersion: string
  /** A target that applies in the app: where its function sends the event, signed. */
  app?: { url: string; secret: string }
  /** A target that applies at the IdP: its parsed settings. */
  settings?: unknown
}

/** What a Sanity Function running the sync reads from its env; every missing value named. */
export function functionConfig(source: Env): FunctionConfig {
  const parsed = functionSchema.safeParse(source)
  if (!parsed.success) throw new ConfigError(problemsOf(parsed.error))
  const env = parsed.data
  const definition = TARGETS[env.SYNC_TARGET] as TargetDefinition
  const base = { target: env.SYNC_TARGET, timeoutMs: env.SYNC_TIMEOUT_MS ?? 10_000, apiVersion: env.SANITY_API_VERSION ?? localDefaults.apiVersion }
  if (definition.appliesIn === 'app') {
    const when = `for the ${definition.name} function (it calls the app)`
    const baseUrl = source.APP_BASE_URL?.trim()
    const secret = source[secretEnvOf(definition.name)]?.trim()
    const parsedUrl = baseUrl && URL.canParse(baseUrl) ? new URL(baseUrl) : undefined
    // https, but for a loopback address (the local lake runs the functions next to the app).
    const reachable = parsedUrl && (parsedUrl.protocol === 'https:' || (parsedUrl.protocol === 'http:' && LOOPBACK.has(parsedUrl.hostname)))
    const problems = [
      ...(!baseUrl ? [`APP_BASE_URL is required ${when}`] : reachable ? [] : ['APP_BASE_URL must be an https:// URL (http only on a loopback address)']),
      ...(secret ? [] : [`${secretEnvOf(definition.name)} is required ${when}`]),
    ]
    if (problems.length > 0 || !parsedUrl || !secret) throw new ConfigError(problems)
    // Resolved against the origin: a path, query or fragment in APP_BASE_URL cannot redirect the call.
    return { ...base, app: { url: new URL(`/api/webhooks/sanity/${definition.name}`, parsedUrl.origin).href, secret } }
  }
  const settings = definition.settings.safeParse(source)
  if (!settings.success) throw new ConfigError(problemsOf(settings.error))
  return { ...base, settings: settings.data }
}
