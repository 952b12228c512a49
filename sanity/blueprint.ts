// The Sanity resources of Gatehouse's sync, for sanity.blueprint.ts: per enabled target either its
// webhook (SYNC_RUNTIME=webhook) or its document function (SYNC_RUNTIME=functions), both derived from
// sanity/webhooks.ts, so the dashboard can no longer drift from the code. `npx sanity blueprints plan`
// shows what would change; `deploy` applies it.
import { defineDocumentFunction, defineDocumentWebhook } from '@sanity/blueprints'
import type { BlueprintDocumentFunctionResource, BlueprintDocumentWebhookResource } from '@sanity/blueprints'
import type { BlueprintConfig } from '../lib/config/sync.ts'
import { TARGETS } from '../lib/sync/targets/registry.ts'
import { functionEventDefinitions, webhookDefinitions } from './webhooks.ts'

/** One handler for every sync function: its blueprint env (SYNC_TARGET) says which target it runs. */
export const SYNC_FUNCTION_SRC = 'functions/gatehouse-sync'
/**
 * Sanity's maximum. An invocation is at most 3 attempts (lib/sync/function.ts) of at most 3 passes of
 * a few management calls, each bounded by SYNC_TIMEOUT_MS: a few minutes at worst at the default 10 s.
 */
export const SYNC_FUNCTION_TIMEOUT_SECONDS = 900

export type SyncResource = BlueprintDocumentWebhookResource | BlueprintDocumentFunctionResource

export function syncResources(config: BlueprintConfig): SyncResource[] {
  return config.targets.map((target) => {
    if (config.runtime === 'webhook') {
      const webhook = webhookDefinitions.find((w) => w.target === target.name)!
      return defineDocumentWebhook({
        name: `gatehouse-sync-${target.name}`,
        displayName: webhook.name,
        description: `Gatehouse: ${TARGETS[target.name].types.join(', ')} → ${target.name}`,
        url: `${config.appBaseUrl}${webhook.path}`,
        dataset: config.dataset,
        on: webhook.triggers,
        filter: webhook.filter,
        projection: webhook.projection,
        httpMethod: 'POST',
        apiVersion: webhook.apiVersion,
        includeDrafts: false,
        includeAllVersions: false,
        status: 'enabled',
        secret: target.secret,
      })
    }
    const event = functionEventDefinitions.find((f) => f.target === target.name)!
    return defineDocumentFunction({
      name: event.name,
      src: SYNC_FUNCTION_SRC,
      timeout: SYNC_FUNCTION_TIMEOUT_SECONDS,
      event: {
        on: event.on,
        filter: event.filter,
        projection: event.projection,
        includeDrafts: false,
        includeAllVersions: false,
        resource: { type: 'dataset', id: `${config.projectId}.${config.dataset}` },
      },
      env: target.functionEnv,
    })
  })
}
