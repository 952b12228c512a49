import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { expect, test } from '@playwright/test'
import { accessMatrix, expectedOutcome, expectedSection, readers, sectionMatrix, seedMarkers } from '../../tests/access-matrix'
import { leaksIn } from '../../tests/leaks'
import { bearerToken, idpKey, type TokenVariant } from '../api-tokens'
import { appUrl, projectOf, type Project } from '../sessions'
import { stacks } from '../stacks'
import { signInAndReturn } from '../support'
import { mint } from '../tokens'

// The MCP server at /api/mcp, driven by the official SDK's client with a bearer token from each
// provider (an access token for the OIDC family and Auth0, a session JWT for Descope and Clerk): a
// valid token sees exactly that reader's docs, anything else is a 401 with WWW-Authenticate.

const markers = seedMarkers()
const slugs = Object.keys(accessMatrix)

type ToolResult = { isError?: boolean; content: { type: string; text?: string }[] }
const textOf = (result: unknown) => (result as ToolResult).content.map((part) => part.text ?? '').join('\n')

async function connect(project: Project, token: string): Promise<Client> {
  const client = new Client({ name: 'gatehouse-e2e', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${appUrl(project)}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  )
  return client
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
})

// Every signed-in seeded reader on the embedded defaults; two (one with grants, one without) per other provider.
const signedIn = readers.filter((reader) => reader !== 'anon')
for (const reader of signedIn) {
  test(`mcp: ${reader} reads and searches exactly their docs`, async ({}, info) => {
    const project = projectOf(info)
    test.skip(project !== 'local' && reader !== 'alice' && reader !== 'mallory', 'alice and mallory cover the other providers')
    test.setTimeout(120_000)
    const client = await connect(project, await bearerToken(project, reader))
    try {
      const tools = (await client.listTools()).tools.map((tool) => tool.name).sort()
      expect(tools).toEqual(['read_doc', 'search_docs'])
      for (const slug of slugs) {
        const expected = expectedOutcome(slug, reader)
        const result = await client.callTool({ name: 'read_doc', arguments: { slug } })
        const text = textOf(result)
        expect(leaksIn(text, reader), `read_doc ${slug} for ${reader}`).toEqual([])
        if (expected === 'read') {
          expect(result.isError, `${reader} read_doc ${slug}`).toBeFalsy()
          expect(text).toContain(markers[slug])
        } else {
          expect(result.isError, `${reader} read_doc ${slug}`).toBe(true)
          expect(text).not.toContain(markers[slug])
          // A bearer reader is signed in: a teaser says what is missing; hidden and missing docs look alike.
          if (expected === 'forbidden') expect(text).toContain('locked')
          else expect(text).toContain(`No doc "${slug}" is available to you.`)
        }
      }
      for (const [marker, { page }] of Object.entries(sectionMatrix)) {
        if (expectedOutcome(page, reader) !== 'read') continue
        const text = textOf(await client.callTool({ name: 'read_doc', arguments: { slug: page } }))
        expect(text.includes(marker), `section ${marker} in read_doc ${page} for ${reader}`).toBe(expectedSection(marker, reader) === 'S')
      }

      // Search: everything found is knowable by this reader; text is searched only where they may read it.
      const found = textOf(await client.callTool({ name: 'search_docs', arguments: { query: 'marker' } }))
      expect(leaksIn(found, reader)).toEqual([])
      for (const slug of slugs) {
        if (expectedOutcome(slug, reader) === 'read') continue
        const digits = /\d+$/.exec(markers[slug]!)![0]
        const result = textOf(await client.callTool({ name: 'search_docs', arguments: { query: digits } }))
        expect(result, `searching ${slug}'s marker as ${reader}`).not.toMatch(new RegExp(`\\(${slug}[,)]`))
      }

      // Hostile arguments are refused by the tool's schema, not run.
      const refused = (call: Promise<unknown>) =>
        call.then(
          (r) => (r as ToolResult).isError === true && leaksIn(textOf(r), reader).length === 0,
          () => true,
        )
      for (const slug of ['../studio', 'partner-onboarding/../x', 'PARTNER-ONBOARDING', '%70artner-onboarding', 'a'.repeat(200), ''])
        expect(await refused(client.callTool({ name: 'read_doc', arguments: { slug } })), slug.slice(0, 30)).toBe(true)
      expect(await refused(client.callTool({ name: 'read_doc', arguments: { slug: 42 } }))).toBe(true)
      expect(await refused(client.callTool({ name: 'nope', arguments: {} }))).toBe(true)
    } finally {
      await client.close()
    }
  })
}

test('mcp: without a valid token, 401 with WWW-Authenticate pointing at the protected-resource metadata', async ({ request }, info) => {
  const project = projectOf(info)
  const url = `${appUrl(project)}/api/mcp`
  const metadataUrl = `${appUrl(project)}/.well-known/oauth-protected-resource/api/mcp`
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }

  const none = await request.post(url, { headers, data: initialize })
  expect(none.status()).toBe(401)
  expect(none.headers()['www-authenticate']).toBe(`Bearer resource_metadata="${metadataUrl}"`)

  const malformed = ['Bearer', 'Bearer ', 'Basic YWxpY2U6cGFzc3dvcmQ=', 'Bearer a b', `Bearer ${'x'.repeat(9000)}`, 'Bearer tok\u00e9n', 'bearer%20abc']
  for (const authorization of malformed) {
    const response = await request.post(url, { headers: { ...headers, authorization }, data: initialize })
    expect(response.status(), authorization.slice(0, 30)).toBe(401)
    expect(response.headers()['www-authenticate']).toContain('error="invalid_token"')
  }
  for (const variant of ['forged', 'expired', 'otherAudience'] satisfies TokenVariant[]) {
    const token = await bearerToken(project, 'alice', variant)
    const response = await request.post(url, { headers: { ...headers, authorization: `Bearer ${token}` }, data: initialize })
    expect(response.status(), variant).toBe(401)
    expect(response.headers()['www-authenticate'], variant).toContain(`resource_metadata="${metadataUrl}"`)
    expect(response.headers()['www-authenticate'], variant).toContain('error="invalid_token"')
    expect(await response.text()).not.toContain('jsonrpc')
  }
  // The same token, refused as a bearer on the other AI surfaces too.
  const forged = await bearerToken(project, 'alice', 'forged')
  const docsMetadataUrl = `${appUrl(project)}/.well-known/oauth-protected-resource`
  for (const path of ['/llms.txt', '/llms-full.txt', '/docs/getting-started.md']) {
    const response = await request.get(`${appUrl(project)}${path}`, { headers: { authorization: `Bearer ${forged}` }, maxRedirects: 0 })
    expect(response.status(), path).toBe(401)
    expect(response.headers()['www-authenticate'], path).toContain(`resource_metadata="${docsMetadataUrl}"`)
  }
  const docsMetadata = (await (await request.get(docsMetadataUrl)).json()) as { resource: string; authorization_servers: string[] }
  expect(docsMetadata.resource).toBe(appUrl(project))
  expect(docsMetadata.authorization_servers).toHaveLength(1)

  // The metadata names the configured IdP as the authorization server for this resource.
  const metadata = await request.get(metadataUrl)
  expect(metadata.status()).toBe(200)
  const body = (await metadata.json()) as { resource: string; authorization_servers: string[]; bearer_methods_supported: string[] }
  expect(body.resource).toBe(url)
  expect(body.authorization_servers).toHaveLength(1)
  expect(body.authorization_servers[0]).toMatch(/^https?:\/\//)
  expect(body.bearer_methods_supported).toEqual(['header'])
})

test('mcp: a bearer token reads llms.txt and Markdown as its reader, never as the browser session', async ({ request }, info) => {
  const project = projectOf(info)
  const token = await bearerToken(project, 'alice')
  const llms = await request.get(`${appUrl(project)}/llms.txt`, { headers: { authorization: `Bearer ${token}` } })
  expect(llms.status()).toBe(200)
  const index = await llms.text()
  expect(leaksIn(index, 'alice')).toEqual([])
  for (const slug of slugs) expect(index.includes(`/docs/${slug}.md)`), `${slug} in llms.txt for alice`).toBe(expectedOutcome(slug, 'alice') === 'read')
  const doc = await request.get(`${appUrl(project)}/docs/partner-onboarding.md`, { headers: { authorization: `Bearer ${token}` } })
  expect(doc.status()).toBe(200)
  expect(await doc.text()).toContain(markers['partner-onboarding'])
})

test('mcp (auth0): a machine-to-machine token is refused; grants in a token older than two re-check intervals are not trusted', async ({ request }, info) => {
  const project = projectOf(info)
  test.skip(project !== 'auth0', 'Auth0 API access tokens are JWTs the app checks itself')
  const key = idpKey(project)
  const claims = { iss: `http://localhost:${stacks.auth0.idp}/`, aud: stacks.auth0.env.AUTH0_API_AUDIENCE! }
  const now = Math.floor(Date.now() / 1000)
  const m2m = await mint(key, { ...claims, sub: 'gatehouse-m2m@clients', gty: 'client-credentials' })
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${m2m}` }
  expect((await request.post(`${appUrl(project)}/api/mcp`, { headers, data: initialize })).status()).toBe(401)

  // alice's grants come from her memberProfile; a fresh token opens her docs, a stale one (ACCESS_RECHECK_SECONDS=5) none.
  const read = async (token: string) => {
    const client = await connect(project, token)
    try {
      return (await client.callTool({ name: 'read_doc', arguments: { slug: 'partner-onboarding' } })) as ToolResult
    } finally {
      await client.close()
    }
  }
  const fresh = await read(await mint(key, { ...claims, sub: 'auth0|alice' }, { issuedAt: now }))
  expect(fresh.isError).toBeFalsy()
  expect(textOf(fresh)).toContain(markers['partner-onboarding'])
  const stale = await read(await mint(key, { ...claims, sub: 'auth0|alice' }, { issuedAt: now - 60 }))
  expect(stale.isError).toBe(true)
  expect(textOf(stale)).not.toContain(markers['partner-onboarding'])
})

test('mcp (local): a signed-in flood through MCP batches leaves another reader’s events in /audit', async ({ page, request }, info) => {
  const project = projectOf(info)
  test.skip(project !== 'local', 'the trail is the same on every provider; erin (an editor) signs in through the local IdP')
  test.setTimeout(180_000)
  const url = `${appUrl(project)}/api/mcp`
  // alice's assistant reads 20 docs.
  const assistant = await connect(project, await bearerToken(project, 'alice'))
  try {
    for (let i = 0; i < 20; i++) await assistant.callTool({ name: 'read_doc', arguments: { slug: slugs[i % slugs.length]! } })
  } finally {
    await assistant.close()
  }
  await signInAndReturn(page, 'erin')
  const matching = async (reader: string) => {
    await page.goto(`/audit?reader=${reader}`)
    const text = (await page.getByTestId('audit-count').textContent()) ?? ''
    return Number(/^(\d+) of/.exec(text)?.[1])
  }
  const before = await matching('alice')
  expect(before).toBeGreaterThanOrEqual(20)

  // mallory (no grants) sends issue #18's flood: 55 requests of 100 batched read_doc calls. Each is refused whole.
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-06-18',
    authorization: `Bearer ${await bearerToken(project, 'mallory')}`,
  }
  const batch = (size: number) =>
    JSON.stringify(
      Array.from({ length: size }, (_, id) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'read_doc', arguments: { slug: 'partner-api' } } })),
    )
  for (let r = 0; r < 55; r++) {
    const response = await request.post(url, { headers, data: batch(100) })
    expect(response.status()).toBe(400)
    const body = (await response.json()) as { error: { code: number; message: string }; id: null }
    expect(body.error.code).toBe(-32600)
    expect(body.error.message).toContain('at most 10 messages')
  }
  // Within the cap her calls run and are audited, in her own list.
  for (let r = 0; r < 30; r++) {
    const response = await request.post(url, { headers, data: batch(10) })
    expect(response.status()).toBe(200)
    expect((await response.json()) as unknown[]).toHaveLength(10)
  }
  // She wrote 300; her own list keeps her newest AUDIT_MAX_EVENTS_PER_READER (200) and nobody else's changes.
  await expect.poll(() => matching('mallory'), { timeout: 10_000 }).toBe(200)
  expect(await matching('alice')).toBe(before)
  const rows = page.getByTestId('audit-row')
  await page.goto('/audit?reader=alice')
  await expect(rows.first()).toContainText('alice')
  // Other specs read as alice in parallel (web): her MCP reads are among her rows, not necessarily first.
  await expect(rows.filter({ hasText: 'mcp' }).first()).toBeVisible()
  // In the unfiltered view (merged fairly), her reads are there too: mallory has none.
  await page.goto('/audit?decision=read')
  await expect(rows.filter({ hasText: 'alice' }).first()).toBeVisible()
})
