import 'server-only'
import { getConfig } from '@/lib/config'
import type { AuthAdapter } from './adapter'

let adapter: Promise<AuthAdapter> | undefined

/** The configured identity provider's adapter. Only that provider's SDK is loaded. */
export function authAdapter(): Promise<AuthAdapter> {
  adapter ??= (async () => {
    const config = getConfig()
    const auth = config.auth
    switch (auth.provider) {
      case 'local':
      case 'oidc':
      case 'okta':
        return (await import('./providers/oidc')).oidcAdapter(config, auth)
      case 'descope':
        return (await import('./providers/descope')).descopeAdapter(config, auth)
      case 'clerk':
        return (await import('./providers/clerk')).clerkAdapter(config, auth)
      case 'auth0':
        return (await import('./providers/auth0')).auth0Adapter(config, auth)
    }
  })()
  return adapter
}
