// Settings of the embedded defaults (local content lake + local IdP). DEV ONLY: these secrets are
// public by design and refused outside local mode. Shared by the app's config and the dev stack.
export const localDefaults = {
  appBaseUrl: 'http://localhost:3000',
  idpUrl: 'http://localhost:4000',
  lakeUrl: 'http://localhost:4001',
  oidcClientId: 'gatehouse-local',
  oidcClientSecret: 'gatehouse-local-client-secret-dev-only',
  /** A second application at the local IdP: tests prove its users' tokens do not open this app. */
  otherClientId: 'other-app',
  otherClientSecret: 'other-app-client-secret-dev-only',
  sessionSecret: 'gatehouse-local-session-secret-dev-only-0123456789',
  lakeReadToken: 'gatehouse-local-read-token',
  lakeWriteToken: 'gatehouse-local-write-token',
  idpAdminToken: 'gatehouse-local-idp-admin-token-dev-only',
  webhookSecret: 'gatehouse-local-webhook-secret-dev-only',
  dataset: 'production',
  apiVersion: '2025-02-19',
} as const
