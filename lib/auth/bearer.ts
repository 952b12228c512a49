import 'server-only'
import { getConfig } from '@/lib/config'
import { pickGrants } from '@/lib/access/dimensions'
import { log } from '@/lib/log'
import { authProvider } from '.'
import { getAudience, type Audience } from './dal'
import { withCurrentAccess } from './member-access'
import { clientOf, countBadToken, badTokensBlocked, tooManyRequests, type Verdict } from '@/lib/ratelimit'

// Readers who are programs — an AI assistant through MCP, a script fetching llms.txt — send the
// configured IdP's token as `Authorization: Bearer`. It is verified by the provider (lib/auth/providers,
// `bearer.verify`: the same SDK as the web session), then the member's current access applies exactly
// as for a browser (lib/auth/member-access.ts). A bearer reader never previews and never sees drafts.

export type BearerResult =
  | { kind: 'none' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'unavailable' }
  /** This client address sent too many tokens that were not valid this window: the IdP is not asked. */
  | { kind: 'limited'; verdict: Verdict }
  | { kind: 'ok'; audience: Audience }

/** RFC 6750's b64token, at most 8 KB, after the scheme (case-insensitive, RFC 9110 §11.1) and 1*SP. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,8192}=*)$/i

export async function bearerAudience(request: Request): Promise<BearerResult> {
  const header = request.headers.get('authorization')
  if (header === null) return { kind: 'none' }
  // Verifying may cost the IdP a call (token introspection, userinfo) that its own rate limit counts
  // for the whole organization: an address that keeps sending tokens that are not valid is refused
  // before any is made, so a flood of junk tokens cannot spend the IdP's budget for every reader.
  const client = clientOf(request.headers)
  const blocked = await badTokensBlocked(client)
  if (blocked) return { kind: 'limited', verdict: blocked }
  const match = BEARER.exec(header.trim())
  if (!match) {
    await countBadToken(client)
    return { kind: 'invalid', reason: 'malformed Authorization header' }
  }
  let identity
  try {
    identity = await (await authProvider()).bearer.verify(match[1]!)
  } catch (error) {
    log.failure('auth.bearer_unavailable', error)
    return { kind: 'unavailable' }
  }
  if (!identity) {
    await countBadToken(client)
    return { kind: 'invalid', reason: 'the token is not valid for this app' }
  }
  const viewer = await withCurrentAccess(identity)
  return { kind: 'ok', audience: { viewer, isEditor: false, preview: null, drafts: false, reader: pickGrants(viewer) } }
}

/**
 * What a bearer token opens: the MCP server, and the docs themselves (llms.txt, llms-full.txt and
 * /docs/<slug>.md). Each is an OAuth protected resource (RFC 9728) with its metadata at
 * /.well-known/oauth-protected-resource<path>. Fixed paths: nothing from the request reaches a header.
 */
export const PROTECTED_RESOURCES = { mcp: '/api/mcp', docs: '' } as const
export type ProtectedResource = keyof typeof PROTECTED_RESOURCES

/** Where a client finds how to get a token for `resource` (RFC 9728 §3.1). */
export function resourceMetadataUrl(resource: ProtectedResource): string {
  return `${getConfig().appBaseUrl}/.well-known/oauth-protected-resource${PROTECTED_RESOURCES[resource]}`
}

/** The protected-resource metadata: which authorization server (the configured IdP) issues the tokens it accepts. */
export async function protectedResourceMetadata(resource: ProtectedResource): Promise<Response> {
  const provider = await authProvider()
  return Response.json(
    {
      resource: `${getConfig().appBaseUrl}${PROTECTED_RESOURCES[resource]}`,
      authorization_servers: [provider.bearer.authorizationServer],
      bearer_methods_supported: ['header'],
      resource_name: resource === 'mcp' ? 'Gatehouse docs (MCP server)' : 'Gatehouse docs',
    },
    { headers: { 'cache-control': 'public, max-age=3600' } },
  )
}

/** A 401 (no token, or one that is not valid), 503 (the IdP could not be asked), as RFC 6750 says, or 429. */
export function bearerRefusal(result: Exclude<BearerResult, { kind: 'ok' }>, resource: ProtectedResource): Response {
  if (result.kind === 'limited') return tooManyRequests(result.verdict)
  if (result.kind === 'unavailable') {
    return Response.json(
      { error: 'temporarily_unavailable', error_description: 'The identity provider could not be reached.' },
      { status: 503, headers: { 'retry-after': '5', 'cache-control': 'no-store' } },
    )
  }
  const challenge = [`Bearer resource_metadata="${resourceMetadataUrl(resource)}"`]
  if (result.kind === 'invalid') challenge.push(`error="invalid_token", error_description="${result.reason}"`)
  return Response.json(
    {
      error: result.kind === 'invalid' ? 'invalid_token' : 'unauthorized',
      error_description: result.kind === 'invalid' ? result.reason : 'A bearer token is required.',
    },
    { status: 401, headers: { 'www-authenticate': challenge.join(', '), 'cache-control': 'no-store' } },
  )
}

/**
 * The audience of a request that may come from a browser or a program: a bearer token when one is
 * sent (an invalid one is refused, never ignored), else the browser session (or nobody).
 */
export async function requestAudience(request: Request): Promise<Audience | Exclude<BearerResult, { kind: 'ok' }>> {
  const bearer = await bearerAudience(request)
  if (bearer.kind === 'ok') return bearer.audience
  if (bearer.kind !== 'none') return bearer
  return getAudience()
}
