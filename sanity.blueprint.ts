// Gatehouse's Sanity resources: the sync of every target whose SANITY_WEBHOOK_SECRET_<TARGET> is set in
// the shell running `npx sanity blueprints plan|deploy` (README, *Publish-time sync*). Secrets come
// from that environment and are never committed.
import { defineBlueprint } from '@sanity/blueprints'
import { blueprintConfig } from './lib/config/sync.ts'
import { syncResources } from './sanity/blueprint.ts'

export default defineBlueprint({ resources: syncResources(blueprintConfig(process.env)) })
