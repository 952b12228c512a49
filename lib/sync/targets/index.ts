import type { SyncTarget, TargetName } from '../target'
import { clerkTarget } from './clerk'
import { descopeTarget } from './descope'
import { localTarget } from './local'
import { oktaTarget } from './okta'

/** The sync targets, by the `[target]` segment of /api/webhooks/sanity/[target]. */
export const syncTargets: Partial<Record<TargetName, SyncTarget>> = {
  local: localTarget,
  clerk: clerkTarget,
  descope: descopeTarget,
  okta: oktaTarget,
}
