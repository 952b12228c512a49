import 'server-only'
import { createHmac } from 'node:crypto'
import { getConfig } from '@/lib/config'

// The audit trail's keyed hashes (HMAC-SHA256 under a key derived from SESSION_SECRET, one label per
// use): a search query's, shown in events, and a reader's, naming their list in the shared store.
// Keyed, so anyone holding the trail or the store cannot confirm a guessed query or subject by
// hashing it themselves. Rotating SESSION_SECRET changes both: older events stay in their lists until
// those expire (AUDIT_RETENTION_DAYS) but are no longer found by reader.

function keyed(label: string, text: string): string {
  const key = createHmac('sha256', getConfig().session.secret).update(label).digest()
  return createHmac('sha256', key).update(text).digest('hex').slice(0, 32)
}

/**
 * How a search (or MCP) query appears in an audit event: never its text, a keyed hash of it. The same
 * query (case and spacing aside) always gives the same hash, so repeated searches can be grouped.
 * 32 hex characters (128 bits).
 */
export function queryHash(text: string): string {
  return keyed('gatehouse audit query hash v1', text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 2000))
}

/**
 * The key part naming a signed-in reader's own list of events (lib/audit/sinks.ts): a keyed hash of
 * the subject exactly as events hold it, so no store key holds a subject or email in plain text, and
 * the /audit reader filter (a subject) finds the one list to read. 32 hex characters.
 */
export function readerHash(subject: string): string {
  return keyed('gatehouse audit reader v1', subject)
}
