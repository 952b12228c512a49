// Local OpenID Connect identity provider (oidc-provider) for development and tests. DEV ONLY.
// Authorization code + PKCE, a real username/password form, and an ID token carrying the
// Gatehouse claims `roles`, `tenant` and `plan`. The app reaches it only through its OIDC config.
import { timingSafeEqual, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { dirname } from 'node:path'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider'
import { GRANT_DIMENSIONS, type Grants } from '../../lib/access/dimensions.ts'
import { seededUsers, type LocalUser } from './users.ts'

/**
 * How the ID token carries Gatehouse's claims, imitating each provider's usual setup:
 * `gatehouse` roles/tenant/plan; `okta` a groups claim; `auth0` namespaced claims (as an Auth0
 * Action adds them) and `org_id` for the organization.
 */
export type ClaimStyle = 'gatehouse' | 'okta' | 'auth0'
export const AUTH0_CLAIM_NAMESPACE = 'https://gatehouse.dev/'

/**
 * The user's `sub`, shaped like each provider's ids (Okta `00u…`, Auth0 `auth0|…`). A memberProfile's
 * `loginIds.<provider>` holds exactly this value.
 */
export function subjectOf(style: ClaimStyle, username: string): string {
  switch (style) {
    case 'gatehouse':
      return username
    case 'okta':
      return `00u${username}`
    case 'auth0':
      return `auth0|${username}`
  }
}

/** The claim a grant travels in, per style: its own name; Okta's `groups` for roles; Auth0's namespace and `org_id`. */
function claimNameOf(style: ClaimStyle, grant: string, claim: string): string {
  if (style === 'okta' && grant === 'roles') return 'groups'
  if (style === 'auth0') return grant === 'tenant' ? 'org_id' : `${AUTH0_CLAIM_NAMESPACE}${claim}`
  return claim
}

function styledClaims(style: ClaimStyle, user: LocalUser): Record<string, unknown> {
  return Object.fromEntries(GRANT_DIMENSIONS.map((d) => [claimNameOf(style, d.grant, d.claim), user[d.grant]]))
}

export type IdpOptions = {
  port: number
  claimStyle?: ClaimStyle
  /** Where signing keys and cookie secrets persist, so sessions survive a restart. */
  keysFile: string
  clients: { clientId: string; clientSecret: string; redirectUris: string[]; postLogoutRedirectUris: string[] }[]
  users?: readonly LocalUser[]
  /** Bearer token of the admin API (PUT/GET /admin/users/{username}) that publish-time sync calls. */
  adminToken?: string
}

export type Idp = { issuer: string; server: Server; users: Map<string, LocalUser>; close(): Promise<void> }

type Secrets = { jwks: JWK[]; cookieKeys: string[] }

async function loadSecrets(file: string): Promise<Secrets> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Secrets
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }
  const secrets: Secrets = { jwks: [jwk], cookieKeys: [randomBytes(32).toString('base64url')] }
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 })
  return secrets
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>
body{font:16px system-ui,sans-serif;background:#f5f5f4;color:#1c1917;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 1px 3px #0002;width:20rem}
h1{font-size:1.25rem;margin:0 0 .25rem}p{color:#57534e;font-size:.875rem}
label{display:block;font-size:.875rem;margin-top:1rem}input{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;border:1px solid #d6d3d1;border-radius:6px}
button{margin-top:1.5rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:#1c1917;color:#fff;font-weight:600;cursor:pointer}
.error{color:#b91c1c;background:#fef2f2;padding:.5rem;border-radius:6px}
</style></head><body><main>${content}</main></body></html>`
}

function loginForm(uid: string, clientName: string, error?: string, username = ''): string {
  return page(
    'Sign in · Local IdP',
    `<h1>Local identity provider</h1><p>Sign in to ${escapeHtml(clientName)}. Development only.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>Username<input name="username" value="${escapeHtml(username)}" required autofocus></label>
<label>Password<input name="password" type="password" required></label>
<button type="submit">Sign in</button></form>`,
  )
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 16 * 1024) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

const readForm = async (req: IncomingMessage) => new URLSearchParams(await readBody(req))

function passwordMatches(user: LocalUser | undefined, password: string): boolean {
  const expected = Buffer.from(user?.password ?? 'no-such-user-' + randomBytes(8).toString('hex'))
  const given = Buffer.from(password)
  return given.length === expected.length && timingSafeEqual(given, expected) && user !== undefined
}

export async function startIdp(options: IdpOptions): Promise<Idp> {
  // Auth0's issuer ends in a slash (https://tenant.auth0.com/); the SDK compares it exactly.
  const issuer = `http://localhost:${options.port}${options.claimStyle === 'auth0' ? '/' : ''}`
  const secrets = await loadSecrets(options.keysFile)
  const users = new Map((options.users ?? seededUsers).map((u) => [u.username, { ...u }]))
  const claimStyle = options.claimStyle ?? 'gatehouse'
  const bySub = (sub: string) => [...users.values()].find((u) => subjectOf(claimStyle, u.username) === sub)
  const customClaimNames = Object.keys(styledClaims(claimStyle, seededUsers[0]!))

  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      client_name: 'Gatehouse',
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'gatehouse'],
    claims: {
      // Auth0 adds custom claims with an Action regardless of scope; the others ask for `gatehouse`.
      openid: ['sub', ...(claimStyle === 'auth0' ? customClaimNames : [])],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      gatehouse: claimStyle === 'auth0' ? [] : customClaimNames,
    },
    // Put the scope-granted claims in the ID token itself, where the app reads them.
    conformIdTokenClaims: false,
    jwks: { keys: secrets.jwks },
    // Auth0 publishes its keys at /.well-known/jwks.json; the app's API-token check reads them there.
    ...(claimStyle === 'auth0' ? { routes: { jwks: '/.well-known/jwks.json' } } : {}),
    cookies: { keys: secrets.cookieKeys },
    ttl: { Session: 8 * 3600, Interaction: 600, AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Grant: 8 * 3600, RefreshToken: 8 * 3600 },
    // Refresh tokens for every client allowed the grant: the app re-validates claims with them.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: false },
      // A client may revoke only the tokens issued to it.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      // The app verifies API clients' access tokens here (RFC 7662), as it would at Okta; a client
      // learns nothing about another client's tokens (they introspect as inactive).
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      // Auth0-style API audiences (RFC 8707): an access token requested for a `resource` is a JWT with
      // that audience and the user's namespaced claims, as an Auth0 API's tokens are.
      resourceIndicators: {
        enabled: true,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => ({
          scope: 'openid profile email',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 3600,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
      rpInitiatedLogout: {
        enabled: true,
        // Sign out without an extra confirmation click: the app only links here from its own sign-out.
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.body = page(
            'Signing out',
            `<h1>Signing out…</h1>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<button type="submit" form="op.logoutForm">Continue</button><script>document.forms[0].submit()</script>`,
          )
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // A JWT access token carries the user's grants as the ID token does (in this IdP's claim style).
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined
      const found = bySub(token.accountId)
      return found ? styledClaims(claimStyle, found) : undefined
    },
    findAccount: async (_ctx, sub) => {
      const found = bySub(sub)
      if (!found) return undefined
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: found.email,
          email_verified: true,
          name: found.name,
          preferred_username: found.username,
          ...styledClaims(claimStyle, found),
        }),
      }
    },
    renderError: async (ctx, out, error) => {
      ctx.type = 'html'
      ctx.body = page(
        'Sign-in error',
        `<h1>Something went wrong</h1><p class="error">${escapeHtml(String(out.error_description ?? out.error ?? error.message))}</p>`,
      )
    },
  }

  const provider = new Provider(issuer, configuration)
  const oidcHandler = provider.callback()

  const handleInteraction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) => {
    const details = await provider.interactionDetails(req, res)
    if (details.uid !== uid) throw new Error('interaction mismatch')
    const client = await provider.Client.find(String(details.params.client_id))
    const clientName = client?.clientName ?? 'the application'

    if (details.prompt.name === 'login') {
      if (req.method === 'GET' && action === undefined) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        return res.end(loginForm(uid, clientName))
      }
      if (req.method === 'POST' && action === 'login') {
        const form = await readForm(req)
        const username = form.get('username') ?? ''
        const found = users.get(username)
        if (!passwordMatches(found, form.get('password') ?? '')) {
          res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          return res.end(loginForm(uid, clientName, 'Wrong username or password.', username))
        }
        return provider.interactionFinished(req, res, { login: { accountId: subjectOf(claimStyle, found!.username) } }, { mergeWithLastSubmission: false })
      }
    }

    if (details.prompt.name === 'consent') {
      // First-party client: grant what it asked for without a consent screen.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) })
      if (!grant) throw new Error('grant not found')
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> }
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
      // An API audience asked for with `resource` (Auth0-style access tokens): granted too.
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '))
      const grantId = await grant.save()
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true })
    }

    res.writeHead(400, { 'content-type': 'text/plain' })
    res.end(`Unsupported interaction prompt "${details.prompt.name}"`)
  }

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  /** The admin API: what Sanity publishes (via lib/sync's local target) becomes the user's grant. */
  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, username: string) => {
    const header = req.headers.authorization ?? ''
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '')
    const expected = Buffer.from(options.adminToken ?? '')
    if (!options.adminToken || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return json(res, 401, { error: 'unauthorized' })
    }
    const user = users.get(username)
    if (!user) return json(res, 404, { error: `no user ${username}` })
    const grantsOf = (u: LocalUser) => Object.fromEntries(GRANT_DIMENSIONS.map((d) => [d.grant, u[d.grant]]))
    if (req.method === 'GET') return json(res, 200, { username, ...grantsOf(user) })
    if (req.method !== 'PUT') return json(res, 405, { error: 'method not allowed' })
    let body: Record<string, unknown>
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>
    } catch {
      return json(res, 400, { error: 'body must be JSON' })
    }
    // The complete grants, one per access dimension: a list for sets, a string or null otherwise.
    const text = (v: unknown) => v === null || (typeof v === 'string' && v.length <= 128)
    const list = (v: unknown) => Array.isArray(v) && v.every((r) => typeof r === 'string' && r.length <= 128)
    const valid = GRANT_DIMENSIONS.every((d) => (d.kind === 'anyOf' ? list(body[d.grant]) : text(body[d.grant])))
    if (!valid)
      return json(res, 400, { error: `expected ${GRANT_DIMENSIONS.map((d) => `${d.grant}: ${d.kind === 'anyOf' ? 'string[]' : 'string|null'}`).join(', ')}` })
    const grants = Object.fromEntries(
      GRANT_DIMENSIONS.map((d) => [d.grant, d.kind === 'anyOf' ? [...new Set(body[d.grant] as string[])].sort() : body[d.grant]]),
    ) as unknown as Grants
    Object.assign(user, grants)
    return json(res, 200, { username, ...grantsOf(user) })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const admin = /^\/admin\/users\/([\w@.|:+-]{1,128})$/.exec(url.pathname)
    if (admin) {
      return void handleAdmin(req, res, decodeURIComponent(admin[1]!)).catch(() => json(res, 500, { error: 'internal error' }))
    }
    const interaction = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(url.pathname)
    if (url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end('{"ok":true}')
    }
    if (!interaction) return void oidcHandler(req, res)
    handleInteraction(req, res, interaction[1]!, interaction[2]).catch((error: unknown) => {
      if (res.headersSent) return res.end()
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
      res.end(
        page(
          'Sign-in error',
          `<h1>This sign-in link has expired</h1><p class="error">${escapeHtml((error as Error).message)}</p><p>Go back to the application and sign in again.</p>`,
        ),
      )
    })
  })
  // Keep idle connections longer than any client does (Node's default is 5 s): a client that reuses a socket
  // the server is closing at that instant gets ECONNRESET — seen as a flaky test, not a product failure.
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', resolve)
  })
  return { issuer, server, users, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
