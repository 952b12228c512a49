/**
 * The identity providers by name: the key of each entry in the provider registry
 * (./providers/registry.ts), of `AUTH_PROVIDER` and of a memberProfile's `loginIds`. A separate, pure
 * module so the Studio's schema can list them without pulling in any provider's code.
 */
export const PROVIDER_NAMES = ['local', 'oidc', 'okta', 'descope', 'clerk', 'auth0'] as const
export type ProviderName = (typeof PROVIDER_NAMES)[number]
