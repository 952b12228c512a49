// Sanity GROQ-powered webhook definitions, one per sync target, as data: create them at
// sanity.io/manage → API → Webhooks with exactly these values (README), and the local lake fires
// them on mutation the way Sanity does. URL: {APP_BASE_URL}{path}. Drafts and versions excluded.

export type WebhookDefinition = {
  name: string
  target: 'local' | 'descope' | 'auth0' | 'clerk' | 'okta'
  path: string
  filter: string
  projection: string
  triggers: ('create' | 'update' | 'delete')[]
  /** Env var holding the secret shared with the route handler. */
  secretEnv: string
  apiVersion: string
}

const triggers: WebhookDefinition['triggers'] = ['create', 'update', 'delete']
const apiVersion = 'v2025-02-19'

const definition = (target: WebhookDefinition['target'], name: string, filter: string, projection: string): WebhookDefinition => ({
  name,
  target,
  path: `/api/webhooks/sanity/${target}`,
  filter,
  projection,
  triggers,
  secretEnv: `SANITY_WEBHOOK_SECRET_${target.toUpperCase()}`,
  apiVersion,
})

// The projections carry what a delete needs to revoke access (the document itself is gone by then).
export const webhookDefinitions: WebhookDefinition[] = [
  definition('local', 'Gatehouse → local IdP', '_type == "memberProfile"', '{_id, _type, loginIds}'),
  definition('descope', 'Gatehouse → Descope', '_type in ["memberProfile", "organizationProfile", "accessRole"]', '{_id, _type, loginIds, tenantId, key}'),
  definition('auth0', 'Gatehouse → Auth0', '_type == "accessPolicy"', '{_id, _type, auth0OrganizationId}'),
  definition('clerk', 'Gatehouse → Clerk', '_type == "entitlement"', '{_id, _type, clerkUserId, clerkOrganizationId}'),
  definition('okta', 'Gatehouse → Okta', '_type == "gatedPage" && defined(okta)', '{_id, _type, okta}'),
]
