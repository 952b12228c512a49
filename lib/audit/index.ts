import 'server-only'
import { after } from 'next/server'
import type { Audience } from '@/lib/auth/dal'
import { getConfig, type AuditConfig } from '@/lib/config'
import { log } from '@/lib/log'
import { sharedStore } from '@/lib/store'
import { toEvent, type AuditInput, type AuditWho } from './event'
import { readerHash } from './query-hash'
import { stdoutSink, storeSink, type AuditSink } from './sinks'

// The access-decision audit trail: one structured event per read, refusal, hidden 404, sign-in
// redirect, search, MCP call and preview. Events name who (subject + provider), what (doc id/slug, or
// a hash of a search query), the decision and the clauses that failed, and where (web page, RSC
// navigation, Markdown, llms.txt, MCP) — never document text, never tokens. Where they go is
// AUDIT_SINKS (./sinks.ts); reading them back is ./read.ts and ./view.ts.

export type { AuditDecision, AuditEvent, AuditInput, AuditVia, AuditWho } from './event'

/** Who is asking, for an event, from the data-access layer's audience. */
export function whoOf(audience: Pick<Audience, 'viewer' | 'preview'>): AuditWho {
  const who: AuditWho = { subject: audience.viewer?.subject ?? null, provider: audience.viewer?.provider ?? null }
  if (audience.preview) who.previewing = audience.preview.anonymous ? 'signed out' : 'an audience'
  return who
}

/** Keeps a serverless function alive until a background write settles; outside a request, a no-op. */
function keepAlive(task: Promise<void>): void {
  try {
    after(task)
  } catch {
    // Outside a request scope (tests, scripts): the task runs on its own.
  }
}

// One set of sinks per configuration, on globalThis: the store sink counts its writes in flight, and
// Next bundles route handlers, pages and actions into separate module graphs of one process.
const holder = globalThis as typeof globalThis & { [key: symbol]: { config: AuditConfig; sinks: AuditSink[] } | undefined }
const KEY = Symbol.for('gatehouse.auditSinks')

function sinks(): AuditSink[] {
  const config = getConfig().audit
  const current = holder[KEY]
  if (current?.config === config) return current.sinks
  const created = config.sinks.map((name) =>
    name === 'stdout'
      ? stdoutSink
      : storeSink({
          store: sharedStore,
          maxEvents: config.maxEvents,
          maxEventsPerReader: config.maxEventsPerReader,
          retentionDays: config.retentionDays,
          readerHash,
          keepAlive,
        }),
  )
  holder[KEY] = { config, sinks: created }
  return created
}

/**
 * Records one decision. Never throws and never holds the response: the event is handed to each sink,
 * which writes it in the background; a failing sink is logged and the request goes on.
 */
export function recordDecision(input: AuditInput): void {
  try {
    const event = toEvent(input, new Date())
    if (!event) return log.warn('audit.invalid', { decision: String(input.decision), via: String(input.via) })
    for (const sink of sinks()) sink.write(event)
  } catch (error) {
    log.failure('audit.failed', error)
  }
}
