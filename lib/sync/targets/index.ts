import type { SyncTarget, TargetName } from '../target'
import { accessTarget } from './access'
import { auth0Target } from './auth0'
import { clerkTarget } from './clerk'
import { descopeTarget } from './descope'
import { localTarget } from './local'
import { oktaTarget } from './okta'

/** The sync targets, by the `[target]` segment of /api/webhooks/sanity/[target]. */
export const syncTargets: Record<TargetName, SyncTarget> = {
  access: accessTarget,
  local: localTarget,
  auth0: auth0Target,
  clerk: clerkTarget,
  descope: descopeTarget,
  okta: oktaTarget,
}
