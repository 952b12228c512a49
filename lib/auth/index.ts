import 'server-only'
import { getConfig } from '@/lib/config'
import type { AuthProvider } from './provider'
import { PROVIDERS, type ProviderDefinition } from './providers/registry'

let provider: Promise<AuthProvider> | undefined

/** The configured identity provider (lib/auth/providers/registry.ts). Only its SDK is loaded. */
export function authProvider(): Promise<AuthProvider> {
  provider ??= (async () => {
    const config = getConfig()
    // The registry entry and the parsed settings belong to the same AUTH_PROVIDER.
    const definition = PROVIDERS[config.auth.provider] as unknown as ProviderDefinition
    const loaded = await definition.load()
    return loaded.create(config, config.auth as never)
  })()
  return provider
}
