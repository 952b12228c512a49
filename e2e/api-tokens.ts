// Bearer tokens for the API surfaces (MCP, llms.txt, Markdown), per provider project, the way a
// program would hold them: an access token from the (local) IdP's code flow for the OIDC family and
// Auth0, a session JWT for Descope and Clerk (minted with the TEST-ONLY keys, as their SDK tests do).
// Variants: valid, revoked/expired, forged, and issued for another client or audience.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { localDefaults } from '../lib/config/defaults'
import { clerkClaims, descopeClaims } from './sessions'
import { clerkTestKey, descopeTestKey, foreignTestKey, stacks, type ProviderName } from './stacks'
import { mint } from './tokens'

export type TokenVariant = 'valid' | 'expired' | 'forged' | 'otherAudience'

const appUrl = (project: ProviderName) => `http://localhost:${stacks[project].app}`
const idpUrl = (project: ProviderName) => `http://localhost:${stacks[project].idp}`
const now = () => Math.floor(Date.now() / 1000)

type Client = { id: string; secret: string; redirectUri: string }

function clientOf(project: ProviderName): Client {
  const env = stacks[project].env
  const id = env.AUTH0_CLIENT_ID ?? env.OIDC_CLIENT_ID ?? localDefaults.oidcClientId
  const secret = env.AUTH0_CLIENT_SECRET ?? env.OIDC_CLIENT_SECRET ?? localDefaults.oidcClientSecret
  return { id, secret, redirectUri: `${appUrl(project)}/auth/callback` }
}

const otherClient = (project: ProviderName): Client => ({
  id: localDefaults.otherClientId,
  secret: localDefaults.otherClientSecret,
  redirectUri: `${appUrl(project)}/other-app/callback`,
})

/** The authorization code flow against the local IdP, by HTTP, stopping at the redirect back with the code. */
async function codeFlowToken(project: ProviderName, client: Client, username: string, resource?: string): Promise<string> {
  const discovery = (await (await fetch(`${idpUrl(project)}/.well-known/openid-configuration`)).json()) as Record<string, string>
  const verifier = randomBytes(32).toString('base64url')
  const challenge = createHash('sha256').update(verifier).digest('base64url')
  const authorize = new URL(discovery.authorization_endpoint!)
  const scope = project === 'auth0' ? 'openid profile email' : 'openid profile email gatehouse'
  for (const [k, v] of Object.entries({
    client_id: client.id,
    redirect_uri: client.redirectUri,
    response_type: 'code',
    scope,
    state: 'e2e',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(resource ? { resource } : {}),
  })) {
    authorize.searchParams.set(k, v)
  }
  const cookies = new Map<string, string>()
  const remember = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';')
      const eq = pair!.indexOf('=')
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
  }
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  let url = authorize
  let init: RequestInit = {}
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() } })
    remember(response)
    const location = response.headers.get('location')
    if (location) {
      const next = new URL(location, url)
      if (next.href.startsWith(client.redirectUri)) {
        const code = next.searchParams.get('code')
        if (!code) throw new Error(`no code: ${next.href}`)
        const body = new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: client.redirectUri,
          code_verifier: verifier,
          ...(resource ? { resource } : {}),
        })
        const token = await fetch(discovery.token_endpoint!, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body,
        })
        const json = (await token.json()) as { access_token?: string; error?: string }
        if (!json.access_token) throw new Error(`token endpoint: ${JSON.stringify(json)}`)
        return json.access_token
      }
      url = next
      init = {}
      continue
    }
    const html = await response.text()
    const form = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html)
    if (!form) throw new Error(`stuck at ${url} (${response.status})`)
    url = new URL(form[1]!.replaceAll('&amp;', '&'), url)
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: 'password' }).toString(),
    }
  }
  throw new Error('the code flow did not finish')
}

async function revoke(project: ProviderName, client: Client, token: string): Promise<void> {
  const discovery = (await (await fetch(`${idpUrl(project)}/.well-known/openid-configuration`)).json()) as Record<string, string>
  await fetch(discovery.revocation_endpoint!, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
  })
}

/** The local IdP's own signing key (its keys file): a token it could have issued, expired. */
export function idpKey(project: ProviderName): Record<string, string> {
  const secrets = JSON.parse(readFileSync(`.data/e2e-${project}/idp-keys.json`, 'utf8')) as { jwks: Record<string, string>[] }
  return secrets.jwks[0]!
}

/** A bearer token of `project`'s provider for `reader` (a seeded user), in the given variant. */
export async function bearerToken(project: ProviderName, reader: string, variant: TokenVariant = 'valid'): Promise<string> {
  const expired = { issuedAt: now() - 3600, expiresIn: now() - 60 }
  if (project === 'descope') {
    const claims = descopeClaims(reader)
    if (variant === 'forged') return mint(foreignTestKey, claims)
    if (variant === 'expired') return mint(descopeTestKey, claims, expired)
    if (variant === 'otherAudience') return mint(descopeTestKey, { ...claims, iss: 'https://api.descope.com/P2otherproject' })
    return mint(descopeTestKey, claims)
  }
  if (project === 'clerk') {
    const claims = clerkClaims(reader)
    if (variant === 'forged') return mint({ ...foreignTestKey, kid: clerkTestKey.kid! }, claims, { issuedAt: now() })
    if (variant === 'expired') return mint(clerkTestKey, claims, expired)
    if (variant === 'otherAudience') return mint(clerkTestKey, { ...claims, azp: 'https://other-app.example' }, { issuedAt: now() })
    return mint(clerkTestKey, claims, { issuedAt: now() })
  }
  if (project === 'auth0') {
    const audience = stacks.auth0.env.AUTH0_API_AUDIENCE!
    if (variant === 'forged')
      return mint({ ...foreignTestKey, kid: idpKey(project).kid! }, { iss: `${idpUrl(project)}/`, aud: audience, sub: `auth0|${reader}` })
    if (variant === 'expired') return mint(idpKey(project), { iss: `${idpUrl(project)}/`, aud: audience, sub: `auth0|${reader}` }, expired)
    return codeFlowToken(project, clientOf(project), reader, variant === 'otherAudience' ? 'https://other-api.example/api' : audience)
  }
  // The OIDC family (local, okta, and the sync/cluster stacks): opaque access tokens, introspected.
  if (variant === 'forged') return randomBytes(32).toString('base64url')
  if (variant === 'otherAudience') return codeFlowToken(project, otherClient(project), reader)
  const token = await codeFlowToken(project, clientOf(project), reader)
  if (variant === 'expired') await revoke(project, clientOf(project), token)
  return token
}
