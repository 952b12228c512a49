// Sanity GROQ-powered webhook definitions, one per sync target, as data: create them at
// sanity.io/manage → API → Webhooks with exactly these values (README), and the local lake fires
// them on mutation the way Sanity does. URL: {APP_BASE_URL}{path}. Drafts and versions excluded.

export type WebhookDefinition = {
  name: string
  target: 'access' | 'local' | 'descope' | 'auth0' | 'clerk' | 'okta'
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

// The projection is only `{_id, _type}`: the app re-reads the document from Sanity, and a delete
// revokes what the app itself recorded having synced for that id, never what a payload claims.
const projection = '{_id, _type}'

export const webhookDefinitions: WebhookDefinition[] = [
  // Every deployment: members' current access for revocation on the next request (any provider).
  definition('access', 'Gatehouse → access', '_type == "memberProfile"', projection),
  definition('local', 'Gatehouse → local IdP', '_type == "memberProfile"', projection),
  definition('descope', 'Gatehouse → Descope', '_type in ["memberProfile", "organizationProfile", "accessRole"]', projection),
  definition('auth0', 'Gatehouse → Auth0', '_type == "accessPolicy"', projection),
  definition('clerk', 'Gatehouse → Clerk', '_type == "entitlement"', projection),
  definition('okta', 'Gatehouse → Okta', '_type == "gatedPage" && defined(okta)', projection),
]
