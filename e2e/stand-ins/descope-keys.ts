// TEST-ONLY stand-in for Descope's key endpoint: GET {base}/v2/keys/{projectId} → the public JWKS of
// e2e/fixtures/test-keys.json's `descope` key. The real @descope SDKs fetch it via DESCOPE_BASE_URL.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'

const keys = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/test-keys.json'), 'utf8')) as Record<string, Record<string, string>>
const { kid, alg, use, kty, n, e } = keys.descope!
const projectId = process.env.DESCOPE_PROJECT_ID ?? ''
const port = Number(new URL(process.env.DESCOPE_BASE_URL ?? 'http://localhost:4402').port)

createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  if (path === '/health') return send(200, { ok: true })
  if (path === `/v2/keys/${projectId}`) return send(200, { keys: [{ kid, alg, use, kty, n, e }] })
  send(404, { errorCode: 'E011003', errorDescription: `No route for ${path}` })
}).listen(port, '127.0.0.1', () => console.log(`[descope-keys] http://localhost:${port}/v2/keys/${projectId}`))
