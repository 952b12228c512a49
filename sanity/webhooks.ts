// Sanity GROQ-powered webhook definitions, one per sync target, derived from the target registry
// (lib/sync/targets/registry.ts): create them at sanity.io/manage → API → Webhooks with exactly these
// values (README), and the local lake fires them on mutation the way Sanity does.
// URL: {APP_BASE_URL}{path}. Drafts and versions excluded.
import { secretEnvOf, TARGETS, webhookFilterOf, type TargetName } from '../lib/sync/targets/registry.ts'

export type WebhookDefinition = {
  name: string
  target: TargetName
  path: string
  filter: string
  projection: string
  triggers: ('create' | 'update' | 'delete')[]
  /** Env var holding the secret shared with the route handler. */
  secretEnv: string
  apiVersion: string
}

// The projection is only `{_id, _type}`: the app re-reads the document from Sanity, and a delete
// revokes what the app itself recorded having synced for that id, never what a payload claims.
export const webhookDefinitions: WebhookDefinition[] = Object.values(TARGETS).map((target) => ({
  name: target.title,
  target: target.name,
  path: `/api/webhooks/sanity/${target.name}`,
  filter: webhookFilterOf(target),
  projection: '{_id, _type}',
  triggers: ['create', 'update', 'delete'],
  secretEnv: secretEnvOf(target.name),
  apiVersion: 'v2025-02-19',
}))
