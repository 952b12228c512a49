// The sync targets, one entry each: the documents it syncs (its Sanity webhook is derived from them),
// the settings it needs besides its webhook secret (a zod schema over the environment), and a lazy
// loader for its module, so only targets in use load their IdP's SDK. lib/config, the webhook route,
// sanity/webhooks.ts and README's tables read from here. Pure (zod only): the local lake imports it.
import { z } from 'zod'
import { localDefaults } from '../../config/defaults.ts'
import { optional, required, shapeOf, type Env } from '../../config/env.ts'
import type { SanityClient } from '@sanity/client'
import type { SyncTarget } from '../target.ts'

export type TargetName = 'access' | 'content' | 'local' | 'descope' | 'auth0' | 'clerk' | 'okta'

export type LocalSyncSettings = { idpUrl: string; adminToken: string }
export type DescopeSyncSettings = { projectId: string; managementKey: string; baseUrl?: string }
export type Auth0SyncSettings = { domain: string; clientId: string; clientSecret: string }
export type ClerkSyncSettings = { secretKey: string; apiUrl?: string }
export type OktaSyncSettings = { orgUrl: string; apiToken: string }
type SettingsOf = {
  access: Record<string, never>
  content: Record<string, never>
  local: LocalSyncSettings
  descope: DescopeSyncSettings
  auth0: Auth0SyncSettings
  clerk: ClerkSyncSettings
  okta: OktaSyncSettings
}

/** What a target's module gets besides its settings. */
export type TargetContext = {
  timeoutMs: number
  /** A Sanity client that may write (write-backs such as Okta's group id); throws when none is configured. */
  sanityWriter: () => SanityClient
}

export type TargetDefinition<Name extends TargetName = TargetName> = {
  name: Name
  /** The webhook's name in sanity.io/manage. */
  title: string
  /** README: the SDK it calls and what it sets. */
  sdk: string
  sets: string
  /** The document types it syncs; its webhook fires for exactly these. */
  types: string[]
  /** An extra GROQ condition of its webhook filter. */
  filter?: string
  /**
   * The document's own fields that a delete revokes from (what its handlers' `gone` schemas read).
   * The webhook runtime remembers them in the shared store; a Sanity Function gets them from the
   * event (`before()`), evaluated by Sanity on the document as it was.
   */
  recordFields: string[]
  /**
   * `app`: its effect lives in the app's shared store (member access), so under SYNC_RUNTIME=functions
   * its function forwards the event, signed, to the app's route instead of applying it. `idp`: the
   * function applies it to the IdP itself.
   */
  appliesIn: 'app' | 'idp'
  /** Its settings besides the webhook secret; every missing one is named when the secret is set. */
  settings: z.ZodType<SettingsOf[Name], Env>
  /** Enabled on the embedded defaults without a configured secret (the local lake signs with the dev one). */
  devDefault?: boolean
  /** Only with this AUTH_PROVIDER (the local IdP's admin API must never be mistaken for a real IdP). */
  onlyWithProvider?: string
  load(): Promise<{ create(settings: SettingsOf[Name], context: TargetContext): SyncTarget }>
}

const define = <Name extends TargetName>(definition: TargetDefinition<Name>) => definition
const when = (name: TargetName) => `when SANITY_WEBHOOK_SECRET_${name.toUpperCase()} is set`

// Each SDK's own rules for its settings, checked when the configuration is read (start-up) so that a
// setting the SDK would refuse names its variable there instead of failing every delivery. Kept to
// what the SDK itself enforces at construction or on its first call (tests/webhook-secrets.test.ts
// builds every target from settings these accept).
/** The Auth0 ManagementClient takes a bare host name and throws on anything with a scheme, path, query or fragment. */
const isBareHost = (value: string) => !/[/?#]/.test(value) && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value)
/** A URL whose scheme an SDK's fetch can use. */
const httpUrl = (name: string) =>
  optional.refine((value) => value === undefined || (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)), {
    message: `${name} must be an http(s) URL`,
  })

export const TARGETS = {
  access: define({
    name: 'access',
    title: 'Gatehouse → access',
    sdk: '— (the shared store)',
    sets: 'the member’s current roles, organization, plan and region for every user id the profile names, read on the member’s next request (revocation; *Security model*); a deletion voids their earlier claims. Every deployment needs it.',
    types: ['memberProfile'],
    recordFields: ['loginIds'],
    appliesIn: 'app',
    settings: z.object({}).transform(() => ({})),
    devDefault: true,
    load: async () => {
      const { accessTarget } = await import('./access.ts')
      return { create: () => accessTarget }
    },
  }),
  content: define({
    name: 'content',
    title: 'Gatehouse → content cache',
    sdk: '— (Next’s `revalidateTag`, tag expiries in the shared store)',
    sets: 'expires, on every instance and at once, the cached reader entries built from the document: its own tag, its type’s (page trees, sitemap, llms.txt), and for a page the pages that link to it (*Caching model*). Without it nothing is cached.',
    types: ['gatedPage', 'docSection', 'accessRole', 'accessPlan', 'organizationProfile'],
    recordFields: [],
    appliesIn: 'app',
    settings: z.object({}).transform(() => ({})),
    devDefault: true,
    load: async () => {
      const { contentTarget } = await import('./content.ts')
      return { create: () => contentTarget }
    },
  }),
  local: define({
    name: 'local',
    title: 'Gatehouse → local IdP',
    sdk: '— (local IdP admin API)',
    sets: 'user roles, tenant, plan, region',
    types: ['memberProfile'],
    recordFields: ['loginIds'],
    appliesIn: 'idp',
    settings: z
      .object({ LOCAL_IDP_URL: httpUrl('LOCAL_IDP_URL'), LOCAL_IDP_ADMIN_TOKEN: optional })
      .transform((env) => ({ idpUrl: env.LOCAL_IDP_URL ?? localDefaults.idpUrl, adminToken: env.LOCAL_IDP_ADMIN_TOKEN ?? localDefaults.idpAdminToken })),
    devDefault: true,
    onlyWithProvider: 'local',
    load: async () => {
      const { localTarget } = await import('./local.ts')
      return { create: localTarget }
    },
  }),
  descope: define({
    name: 'descope',
    title: 'Gatehouse → Descope',
    sdk: '@descope/nextjs-sdk (`createSdk`)',
    sets: '`user.patch`: roles (in the tenant when there is one), tenant membership, custom attributes plan/locale/region/onboardingStage; tenant name; role exists',
    types: ['memberProfile', 'organizationProfile', 'accessRole'],
    recordFields: ['loginIds'],
    appliesIn: 'idp',
    settings: z
      .object({
        DESCOPE_PROJECT_ID: required('DESCOPE_PROJECT_ID', when('descope')),
        DESCOPE_MANAGEMENT_KEY: required('DESCOPE_MANAGEMENT_KEY', when('descope')),
        DESCOPE_BASE_URL: httpUrl('DESCOPE_BASE_URL'),
      })
      .transform((env) => ({ projectId: env.DESCOPE_PROJECT_ID, managementKey: env.DESCOPE_MANAGEMENT_KEY, baseUrl: env.DESCOPE_BASE_URL })),
    load: async () => {
      const { descopeTarget } = await import('./descope.ts')
      return { create: descopeTarget }
    },
  }),
  auth0: define({
    name: 'auth0',
    title: 'Gatehouse → Auth0',
    sdk: 'auth0 `ManagementClient`',
    sets: 'organization metadata `{plan, role, contentTags}` (tags as a JSON string), merged with foreign keys; 422 before calling Auth0 if it would exceed 25 keys or 255 characters',
    types: ['accessPolicy'],
    recordFields: ['auth0OrganizationId'],
    appliesIn: 'idp',
    settings: z
      .object({
        AUTH0_MANAGEMENT_DOMAIN: optional,
        AUTH0_DOMAIN: optional,
        AUTH0_MANAGEMENT_CLIENT_ID: required('AUTH0_MANAGEMENT_CLIENT_ID', when('auth0')),
        AUTH0_MANAGEMENT_CLIENT_SECRET: required('AUTH0_MANAGEMENT_CLIENT_SECRET', when('auth0')),
      })
      .refine((env) => env.AUTH0_MANAGEMENT_DOMAIN ?? env.AUTH0_DOMAIN, { message: `AUTH0_DOMAIN (or AUTH0_MANAGEMENT_DOMAIN) is required ${when('auth0')}` })
      .superRefine((env, context) => {
        const name = env.AUTH0_MANAGEMENT_DOMAIN ? 'AUTH0_MANAGEMENT_DOMAIN' : 'AUTH0_DOMAIN'
        const value = env.AUTH0_MANAGEMENT_DOMAIN ?? env.AUTH0_DOMAIN
        // AUTH0_DOMAIN may be a URL for sign-in (the nextjs-auth0 SDK takes one); management needs the host.
        if (value !== undefined && !isBareHost(value))
          context.addIssue({
            code: 'custom',
            message: `${name} must be a bare host name for the Auth0 Management API (e.g. tenant.eu.auth0.com, no https:// or path)${name === 'AUTH0_DOMAIN' ? '; set AUTH0_MANAGEMENT_DOMAIN to give it one of its own' : ''}`,
          })
      })
      .transform((env) => ({
        domain: (env.AUTH0_MANAGEMENT_DOMAIN ?? env.AUTH0_DOMAIN) as string,
        clientId: env.AUTH0_MANAGEMENT_CLIENT_ID,
        clientSecret: env.AUTH0_MANAGEMENT_CLIENT_SECRET,
      })),
    load: async () => {
      const { auth0Target } = await import('./auth0.ts')
      return { create: auth0Target }
    },
  }),
  clerk: define({
    name: 'clerk',
    title: 'Gatehouse → Clerk',
    sdk: '@clerk/backend (`createClerkClient`, as @clerk/nextjs re-exports it)',
    sets: 'user (and organization) public metadata `{plan, role, docSlugs}`',
    types: ['entitlement'],
    recordFields: ['clerkUserId', 'clerkOrganizationId'],
    appliesIn: 'idp',
    settings: z
      .object({ CLERK_SECRET_KEY: required('CLERK_SECRET_KEY', when('clerk')), CLERK_API_URL: httpUrl('CLERK_API_URL') })
      .transform((env) => ({ secretKey: env.CLERK_SECRET_KEY, apiUrl: env.CLERK_API_URL })),
    load: async () => {
      const { clerkTarget } = await import('./clerk.ts')
      return { create: clerkTarget }
    },
  }),
  okta: define({
    name: 'okta',
    title: 'Gatehouse → Okta',
    sdk: '@okta/okta-sdk-nodejs',
    sets: 'group `content:<slug>` created once (id written back to Sanity with `SANITY_API_WRITE_TOKEN`), profile replaced later; deleted with the doc',
    types: ['gatedPage'],
    filter: 'defined(okta)',
    recordFields: ['okta'],
    appliesIn: 'idp',
    settings: z
      .object({
        OKTA_ORG_URL: required('OKTA_ORG_URL', when('okta')).refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
          message: 'OKTA_ORG_URL must be an http(s) URL (e.g. https://example.okta.com)',
        }),
        OKTA_API_TOKEN: required('OKTA_API_TOKEN', when('okta')),
      })
      .transform((env) => ({ orgUrl: env.OKTA_ORG_URL, apiToken: env.OKTA_API_TOKEN })),
    load: async () => {
      const { oktaTarget } = await import('./okta.ts')
      return { create: oktaTarget }
    },
  }),
} satisfies { [Name in TargetName]: TargetDefinition<Name> }

export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[]

/**
 * Where the sync pipeline runs (README, *Publish-time sync*): `webhook` — Sanity calls the app's route
 * per target; `functions` — a Sanity Function per target applies it on Sanity's infrastructure.
 */
export const SYNC_RUNTIMES = ['webhook', 'functions'] as const
export type SyncRuntime = (typeof SYNC_RUNTIMES)[number]

/** The environment variable holding a target's webhook secret. */
export const secretEnvOf = (name: TargetName) => `SANITY_WEBHOOK_SECRET_${name.toUpperCase()}`

/** The environment variables a target's settings read (its schema's keys), for a function's env. */
export const settingsEnvOf = (definition: TargetDefinition): string[] => Object.keys(shapeOf(definition.settings))

/** The GROQ filter of a target's webhook. */
export function webhookFilterOf(definition: TargetDefinition): string {
  const types = definition.types.length === 1 ? `_type == "${definition.types[0]}"` : `_type in [${definition.types.map((t) => `"${t}"`).join(', ')}]`
  return definition.filter ? `${types} && ${definition.filter}` : types
}
