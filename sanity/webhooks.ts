// How Sanity delivers each sync target's changes, derived from the target registry
// (lib/sync/targets/registry.ts): as a GROQ-powered webhook (SYNC_RUNTIME=webhook) or as the event of
// a Sanity Function (SYNC_RUNTIME=functions). sanity.blueprint.ts declares them (sanity/blueprint.ts),
// and the local lake fires the webhooks on mutation the way Sanity does. Drafts and versions excluded.
import { secretEnvOf, TARGETS, webhookFilterOf, type TargetDefinition, type TargetName } from '../lib/sync/targets/registry.ts'

export const SYNC_OPERATIONS = ['create', 'update', 'delete'] as const
export type SyncOperation = (typeof SYNC_OPERATIONS)[number]

export type WebhookDefinition = {
  name: string
  target: TargetName
  path: string
  filter: string
  projection: string
  triggers: SyncOperation[]
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
  triggers: [...SYNC_OPERATIONS],
  secretEnv: secretEnvOf(target.name),
  apiVersion: 'v2025-02-19',
}))

export type FunctionEventDefinition = {
  /** The function's name in the blueprint (`sanity functions test <name>`). */
  name: string
  target: TargetName
  filter: string
  projection: `{${string}}`
  on: [SyncOperation, ...SyncOperation[]]
}

/**
 * A function is invoked by Sanity itself, not through a request anyone could sign, so its event may
 * carry what a delete revokes: the target's record fields of the document as it was (`before()`).
 * The current state is still read with GROQ, as the webhook runtime does.
 */
export const functionProjectionOf = (target: TargetDefinition): `{${string}}` =>
  target.recordFields.length === 0
    ? `{_id, _type, _rev, "operation": delta::operation()}`
    : `{_id, _type, _rev, "operation": delta::operation(), "before": before(){${target.recordFields.join(', ')}}}`

export const functionEventDefinitions: FunctionEventDefinition[] = Object.values(TARGETS).map((target) => ({
  name: `gatehouse-sync-${target.name}`,
  target: target.name,
  filter: webhookFilterOf(target),
  projection: functionProjectionOf(target),
  on: [...SYNC_OPERATIONS] as FunctionEventDefinition['on'],
}))
