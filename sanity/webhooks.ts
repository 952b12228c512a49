// Sanity GROQ-powered webhook definitions, one per sync target, as data: create them at
// sanity.io/manage → API → Webhooks with exactly these values (README), and the local lake fires
// them on mutation the way Sanity does. URL: {APP_BASE_URL}{path}. Drafts and versions excluded.

export type WebhookDefinition = {
  name: string
  target: 'local' | 'descope' | 'auth0' | 'clerk' | 'okta'
  path: string
  filter: string
  projection: string
  triggers: ('create' | 'update' | 'delete')[  {
    name: 'Gatehouse → Okta',
    target: 'okta',
    path: '/api/webhooks/sanity/okta',
    filter: '_type == "gatedPage" && defined(okta)',
    projection: '{_id, _type, okta}',
    triggers,
    secretEnv: 'SANITY_WEBHOOK_SECRET_OKTA',
    apiVersion,
  },
]
  /** Env var holding the secret shared with the route handler. */
  secretEnv: string
  apiVersion: string
}

const triggers: WebhookDefinition['triggers'] = ['create', 'update', 'delete'  {
    name: 'Gatehouse → Okta',
    target: 'okta',
    path: '/api/webhooks/sanity/okta',
    filter: '_type == "gatedPage" && defined(okta)',
    projection: '{_id, _type, okta}',
    triggers,
    secretEnv: 'SANITY_WEBHOOK_SECRET_OKTA',
    apiVersion,
  },
]
const apiVersion = 'v2025-02-19'

export const webhookDefinitions: WebhookDefinition[] = [
  {
    name: 'Gatehouse → local IdP',
    target: 'local',
    path: '/api/webhooks/sanity/local',
    filter: '_type == "memberProfile"',
    projection: '{_id, _type, loginIds}',
    triggers,
    secretEnv: 'SANITY_WEBHOOK_SECRET_LOCAL',
    apiVersion,
  },
  {
    name: 'Gatehouse → Descope',
    target: 'descope',
    path: '/api/webhooks/sanity/descope',
    filter: '_type in ["memberProfile", "organizationProfile", "accessRole"]',
    projection: '{_id, _type, loginIds, tenantId, key}',
    triggers,
    secretEnv: 'SANITY_WEBHOOK_SECRET_DESCOPE',
    apiVersion,
  },
  {
    name: 'Gatehouse → Clerk',
    target: 'clerk',
    path: '/api/webhooks/sanity/clerk',
    filter: '_type == "entitlement"',
    projection: '{_id, _type, clerkUserId, clerkOrganizationId}',
    triggers,
    secretEnv: 'SANITY_WEBHOOK_SECRET_CLERK',
    apiVersion,
  },
  {
    name: 'Gatehouse → Okta',
    target: 'okta',
    path: '/api/webhooks/sanity/okta',
    filter: '_type == "gatedPage" && defined(okta)',
    projection: '{_id, _type, okta}',
    triggers,
    secretEnv: 'SANITY_WEBHOOK_SECRET_OKTA',
    apiVersion,
  },
]
