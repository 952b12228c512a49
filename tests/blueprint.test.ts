import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { evaluate, parse } from 'groq-js'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startLake, type Lake } from '@/dev/lake/server'
import { ConfigError } from '@/lib/config/env'
import { blueprintConfig } from '@/lib/config/sync'
import { createTarget, stable } from '@/lib/sync/pipeline'
import { secretEnvOf, settingsEnvOf, TARGETS, TARGET_NAMES, webhookFilterOf, type TargetDefinition, type TargetName } from '@/lib/sync/targets/registry'
import { SYNC_FUNCTION_SRC, syncResources } from '@/sanity/blueprint'
import { functionEventDefinitions, functionProjectionOf, webhookDefinitions } from '@/sanity/webhooks'
import { loadSeed, seedFile } from './access-matrix'
import { startRecorder, type Recorder } from './support/recorder'

// The Sanity Blueprint (sanity.blueprint.ts) is generated from the sync-target registry: these tests
// hold the two together, so the dashboard can never drift from the code again.

const secretOf = (name: string) => `blueprint-secret-${name}-0123456789`
/** Every target switched on, with the settings each needs (AUTH_PROVIDER=local brings in `local`). */
const ENV = {
  APP_BASE_URL: 'https://docs.example.com/',
  SANITY_PROJECT_ID: 'abc123',
  SANITY_DATASET: 'production',
  AUTH_PROVIDER: 'local',
  DESCOPE_PROJECT_ID: 'P2blueprint',
  DESCOPE_MANAGEMENT_KEY: 'descope-management-key',
  AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  AUTH0_MANAGEMENT_CLIENT_ID: 'm2m-client',
  AUTH0_MANAGEMENT_CLIENT_SECRET: 'm2m-client-secret',
  CLERK_SECRET_KEY: 'sk_test_blueprint',
  OKTA_ORG_URL: 'https://example.okta.com',
  OKTA_API_TOKEN: 'okta-api-token',
  LOCAL_IDP_URL: 'https://idp.example.com',
  SESSION_SECRET: 'a-session-secret-that-no-function-may-see-000',
  SANITY_API_READ_TOKEN: 'a-read-token-that-no-function-may-see',
  ...Object.fromEntries(TARGET_NAMES.map((name) => [secretEnvOf(name), secretOf(name)])),
}
const seed = loadSeed()
const matches = async (filter: string, doc: unknown) => ((await (await evaluate(parse(`*[${filter}]`), { dataset: [doc] })).get()) as unknown[]).length > 0

describe('webhook runtime: one webhook per enabled target, exactly the registry’s', () => {
  const resources = syncResources(blueprintConfig(ENV))

  it('declares every enabled target, and nothing else', () => {
    expect(resources.map((r) => r.name)).toEqual(TARGET_NAMES.map((name) => `gatehouse-sync-${name}`))
    expect(resources.every((r) => r.type === 'sanity.project.webhook')).toBe(true)
  })

  for (const name of TARGET_NAMES) {
    it(`${name}: URL, filter, projection, operations, API version, drafts off, secret from the environment`, () => {
      const resource = resources.find((r) => r.name === `gatehouse-sync-${name}`)
      const definition = webhookDefinitions.find((w) => w.target === name)!
      expect(resource).toMatchObject({
        url: `https://docs.example.com/api/webhooks/sanity/${name}`,
        dataset: 'production',
        on: ['create', 'update', 'delete'],
        filter: webhookFilterOf(TARGETS[name] as TargetDefinition),
        projection: '{_id, _type}',
        apiVersion: definition.apiVersion,
        httpMethod: 'POST',
        includeDrafts: false,
        includeAllVersions: false,
        status: 'enabled',
        secret: secretOf(name),
      })
    })
  }

  it('each filter matches exactly the documents its target syncs (every seed document tried)', async () => {
    for (const resource of resources) {
      const definition = TARGETS[resource.name.replace('gatehouse-sync-', '') as TargetName] as TargetDefinition
      for (const doc of seed) {
        const expected = definition.types.includes(doc._type) && (definition.name !== 'okta' || (doc as { okta?: unknown }).okta !== undefined)
        expect(await matches((resource as { filter: string }).filter, doc), `${resource.name} × ${doc._id}`).toBe(expected)
      }
    }
  })

  it('a target without its secret is not declared; `local` only with AUTH_PROVIDER=local', () => {
    const names = (env: Record<string, string>) => syncResources(blueprintConfig(env)).map((r) => r.name)
    expect(names({ ...ENV, [secretEnvOf('okta')]: '' })).not.toContain('gatehouse-sync-okta')
    expect(names({ ...ENV, AUTH_PROVIDER: 'auth0' })).not.toContain('gatehouse-sync-local')
    const { AUTH_PROVIDER: _omitted, ...withoutProvider } = ENV
    expect(names(withoutProvider)).not.toContain('gatehouse-sync-local')
  })
})

describe('functions runtime: one document function per enabled target, running one handler', () => {
  const resources = syncResources(blueprintConfig({ ...ENV, SYNC_RUNTIME: 'functions', SYNC_TIMEOUT_MS: '5000' }))

  it('declares a document function per target on the dataset, with the webhook’s filter and operations', () => {
    expect(resources.map((r) => r.name)).toEqual(functionEventDefinitions.map((f) => f.name))
    for (const resource of resources) {
      const name = resource.name.replace('gatehouse-sync-', '') as TargetName
      expect(resource).toMatchObject({
        type: 'sanity.function.document',
        src: SYNC_FUNCTION_SRC,
        event: {
          on: ['create', 'update', 'delete'],
          filter: webhookFilterOf(TARGETS[name] as TargetDefinition),
          projection: functionProjectionOf(TARGETS[name] as TargetDefinition),
          includeDrafts: false,
          includeAllVersions: false,
          resource: { type: 'dataset', id: 'abc123.production' },
        },
      })
    }
  })

  it('each function’s env holds its target’s settings and nothing of anyone else’s', () => {
    for (const resource of resources) {
      const name = resource.name.replace('gatehouse-sync-', '') as TargetName
      const definition = TARGETS[name] as TargetDefinition
      const env = (resource as { env: Record<string, string> }).env
      const allowed =
        definition.appliesIn === 'app'
          ? ['SYNC_TARGET', 'APP_BASE_URL', secretEnvOf(name)]
          : ['SYNC_TARGET', 'SYNC_TIMEOUT_MS', 'SANITY_API_VERSION', ...settingsEnvOf(definition)]
      expect(
        Object.keys(env).every((key) => allowed.includes(key)),
        `${name}: ${Object.keys(env).join(', ')}`,
      ).toBe(true)
      expect(env.SYNC_TARGET).toBe(name)
      for (const value of Object.values(env)) {
        expect(value).not.toBe(ENV.SESSION_SECRET)
        expect(value).not.toBe(ENV.SANITY_API_READ_TOKEN)
      }
      for (const other of TARGET_NAMES.filter((n) => n !== name)) expect(Object.values(env)).not.toContain(secretOf(other))
    }
    const descope = resources.find((r) => r.name === 'gatehouse-sync-descope') as { env: Record<string, string> }
    expect(descope.env).toEqual({
      SYNC_TARGET: 'descope',
      DESCOPE_PROJECT_ID: 'P2blueprint',
      DESCOPE_MANAGEMENT_KEY: 'descope-management-key',
      SYNC_TIMEOUT_MS: '5000',
    })
    const access = resources.find((r) => r.name === 'gatehouse-sync-access') as { env: Record<string, string> }
    expect(access.env).toEqual({ SYNC_TARGET: 'access', APP_BASE_URL: 'https://docs.example.com', [secretEnvOf('access')]: secretOf('access') })
  })

  it('a delete event carries what each target revokes: its `gone` record, as the webhook runtime remembers it', async () => {
    const checked = new Set<string>()
    for (const name of TARGET_NAMES) {
      const definition = TARGETS[name] as TargetDefinition
      const target = await createTarget(name, definition.settings.parse(ENV), { timeoutMs: 1000, sanityWriter: () => undefined as never })
      for (const [type, handler] of Object.entries(target.handlers)) {
        for (const doc of seed.filter((d) => d._type === type)) {
          const query = `*[${webhookFilterOf(definition)}]${functionProjectionOf(definition)}`
          const event = ((await (await evaluate(parse(query, { mode: 'delta' }), { dataset: [doc], before: doc })).get()) as { before: unknown }[])[0]
          if (!event) continue // outside the filter: no event at all
          const current = await (await evaluate(parse(handler.query, { params: { id: doc._id } }), { dataset: seed, params: { id: doc._id } })).get()
          const parsed = handler.doc.safeParse(current)
          if (!parsed.success) continue
          if (handler.recordless) {
            // Nothing is revoked per document: the event carries no `before` at all.
            expect(event.before, `${name} × ${doc._id}`).toBeUndefined()
            checked.add(`${name}:${type}`)
            continue
          }
          const gone = handler.gone.safeParse(event.before)
          expect(gone.success, `${name} × ${doc._id}`).toBe(true)
          expect(stable(gone.data), `${name} × ${doc._id}`).toBe(stable(handler.record(parsed.data)))
          checked.add(`${name}:${type}`)
        }
      }
    }
    // Every target and type it syncs was compared on at least one seed document.
    expect([...checked].sort()).toEqual(TARGET_NAMES.flatMap((name) => TARGETS[name].types.map((type) => `${name}:${type}`)).sort())
  })
})

describe('blueprint configuration: every problem named, nothing unsafe declared', () => {
  const problems = (env: Record<string, string | undefined>) => {
    try {
      blueprintConfig(env as Record<string, string>)
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      return (error as Error).message
    }
    throw new Error('expected a ConfigError')
  }

  it('names every missing value at once', () => {
    const message = problems({ [secretEnvOf('access')]: secretOf('access') })
    expect(message).toMatch(/APP_BASE_URL is required/)
    expect(message).toMatch(/SANITY_PROJECT_ID is required/)
    expect(message).toMatch(/SANITY_DATASET is required/)
  })

  it('refuses a URL Sanity cannot reach privately or would send in clear', () => {
    expect(problems({ ...ENV, APP_BASE_URL: 'http://docs.example.com' })).toMatch(/APP_BASE_URL must be an https:\/\/ URL/)
    expect(problems({ ...ENV, APP_BASE_URL: 'javascript:alert(1)' })).toMatch(/APP_BASE_URL must be an https:\/\/ URL/)
  })

  it('refuses the embedded defaults’ dev secret and short secrets', () => {
    expect(problems({ ...ENV, [secretEnvOf('access')]: 'gatehouse-local-webhook-secret-dev-only' })).toMatch(
      /SANITY_WEBHOOK_SECRET_ACCESS must be a secret of its own/,
    )
    expect(problems({ ...ENV, [secretEnvOf('clerk')]: 'short' })).toMatch(/SANITY_WEBHOOK_SECRET_CLERK must be a secret of its own/)
  })

  it('refuses malformed ids and runtimes; a function without its settings names them', () => {
    expect(problems({ ...ENV, SANITY_PROJECT_ID: 'abc"; drop' })).toMatch(/SANITY_PROJECT_ID is not a Sanity project id/)
    expect(problems({ ...ENV, SANITY_DATASET: '../prod' })).toMatch(/SANITY_DATASET is not a dataset name/)
    expect(problems({ ...ENV, SYNC_RUNTIME: 'lambda' })).toMatch(/SYNC_RUNTIME must be one of webhook, functions/)
    expect(problems({ ...ENV, SYNC_RUNTIME: 'functions', DESCOPE_MANAGEMENT_KEY: undefined })).toMatch(/DESCOPE_MANAGEMENT_KEY is required/)
  })

  it('sanity.blueprint.ts is that blueprint, and @sanity/blueprints validates it', async () => {
    vi.resetModules()
    const saved = { ...process.env }
    Object.assign(process.env, ENV, { SYNC_RUNTIME: 'functions' })
    try {
      const { default: blueprint } = await import('@/sanity.blueprint')
      const document = blueprint()
      expect(document.$schema).toMatch(/blueprint\.schema\.json$/)
      expect(document.resources).toEqual(syncResources(blueprintConfig({ ...ENV, SYNC_RUNTIME: 'functions' })))
    } finally {
      process.env = saved
    }
  })
})

describe('the local lake fires exactly what the blueprint declares', () => {
  let dir: string
  let lake: Lake
  let app: Recorder
  const resources = syncResources(blueprintConfig(ENV)) as { name: string; url: string; filter: string; projection: string }[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'blueprint-lake-'))
    app = await startRecorder()
    // As dev/stack.ts gives it: the repository's webhook definitions (here all of them).
    const definitions = webhookDefinitions.map((d) => ({ ...d, secret: secretOf(d.target) }))
    lake = await startLake({ dataFile: join(dir, 'lake.ndjson'), seedFile, tokens: { w: 'write' }, webhooks: { baseUrl: app.url, definitions } })
  })
  afterAll(async () => {
    await Promise.all([lake.close(), app.close()])
    await rm(dir, { recursive: true, force: true })
  })

  const examples = [
    'memberProfile.dave',
    'organizationProfile.acme',
    'accessPolicy.acme',
    'entitlement.carol',
    'gatedPage.partner-onboarding',
    'gatedPage.member-faq',
  ]
  for (const id of examples) {
    it(`a change to ${id} is delivered to the blueprint’s matching webhooks, with their projection`, async () => {
      const doc = seed.find((d) => d._id === id)
      expect(doc, id).toBeDefined()
      app.reset()
      const response = await fetch(`${lake.url}/v2025-02-19/data/mutate/production`, {
        method: 'POST',
        headers: { authorization: 'Bearer w', 'content-type': 'application/json' },
        body: JSON.stringify({ mutations: [{ patch: { id, set: { blueprintProbe: id } } }] }),
      })
      expect(response.ok).toBe(true)
      await lake.webhooks!.idle()
      const expected: string[] = []
      for (const resource of resources) if (await matches(resource.filter, doc)) expected.push(new URL(resource.url).pathname)
      expect(app.calls.map((c) => c.path).sort()).toEqual(expected.sort())
      for (const call of app.calls) expect(call.body).toEqual({ _id: id, _type: doc!._type })
    })
  }
})
