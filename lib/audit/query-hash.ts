import 'server-only'
import { createHmac } from 'node:crypto'
import { getConfig } from '@/lib/config'

/**
 * How a search (or MCP) query appears in an audit event: never its text, a keyed hash of it. The same
 * query (case and spacing aside) always gives the same hash, so repeated searches can be grouped; the
 * key (derived from SESSION_SECRET) keeps anyone holding the trail from confirming a guessed query by
 * hashing it themselves. 32 hex characters (128 bits).
 */
export function queryHash(text: string): string {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 2000)
  const key = createHmac('sha256', getConfig().session.secret).update('gatehouse audit query hash v1').digest()
  return createHmac('sha256', key).update(normalized).digest('hex').slice(0, 32)
}
