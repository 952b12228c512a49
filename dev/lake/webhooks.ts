// Fires GROQ-powered webhooks on committed transactions the way Sanity does: filter and projection
// evaluated with groq-js, signed with @sanity/webhook, the same headers, one delivery at a time per
// webhook, retried with exponential backoff on 5xx/429/network errors, never on other 4xx. DEV ONLY.
import { randomUUID } from 'node:crypto'
import { encodeSignatureHeader, SIGNATURE_HEADER_NAME } from '@sanity/webhook'
import { evaluate, parse } from 'groq-js'
import type { WebhookDefinition } from '../../sanity/webhooks.ts'
import { SerialQueues } from './queues.ts'
import type { SanityDocument, Transaction } from './store.ts'

export type WebhookOptions = {
  baseUrl: string
  dataset: string
  definitions: (WebhookDefinition & { secret: string })[]
  /** Backoff of the first retry; doubles each time. */
  initialBackoffMs?: number
  maxAttempts?: number
  timeoutMs?: number
  log?: (line: Record<string, unknown>) => void
}

export type DeliveryRecord = { webhook: string; documentId: string; operation: string; status: number | 'error'; attempt: number }

const isDraft = (id: string) => id.startsWith('drafts.') || id.startsWith('versions.')

async function project(definition: WebhookDefinition, docs: SanityDocument[], id: string): Promise<unknown> {
  const query = `*[_id == $id && (${definition.filter})][0]${definition.projection}`
  const params = { id }
  return (await evaluate(parse(query, { params }), { dataset: docs, params })).get()
}

export class WebhookDispatcher {
  private readonly options: WebhookOptions
  private readonly queues = new SerialQueues()
  readonly deliveries: DeliveryRecord[] = []

  constructor(options: WebhookOptions) {
    this.options = options
  }

  /** Called after each committed transaction with the store's documents before and after it. */
  async dispatch(tx: Transaction, before: SanityDocument[], after: SanityDocument[]): Promise<void> {
    for (const change of tx.changes) {
      if (isDraft(change.id)) continue
      const operation = change.before === null ? 'create' : change.after === null ? 'delete' : 'update'
      for (const definition of this.options.definitions) {
        if (!definition.triggers.includes(operation)) continue
        // Deletes are matched and projected against the document as it was.
        const body = await project(definition, operation === 'delete' ? before : after, change.id)
        if (body === null || body === undefined) continue
        this.enqueue(definition, { body: JSON.stringify(body), documentId: change.id, operation, transactionId: tx.transactionId })
      }
    }
  }

  /** Resolves when every queued delivery has finished (tests and benchmarks). */
  idle(): Promise<void> {
    return this.queues.idle()
  }

  private enqueue(definition: WebhookOptions['definitions'][number], delivery: { body: string; documentId: string; operation: string; transactionId: string }) {
    this.queues.enqueue(definition.name, () => this.deliver(definition, delivery))
  }

  private async deliver(
    definition: WebhookOptions['definitions'][number],
    delivery: { body: string; documentId: string; operation: string; transactionId: string },
  ) {
    const { baseUrl, dataset, initialBackoffMs = 1000, maxAttempts = 8, timeoutMs = 30_000, log = () => undefined } = this.options
    const idempotencyKey = `idem-${randomUUID()}`
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let status: number | 'error' = 'error'
      try {
        const response = await fetch(new URL(definition.path, baseUrl), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER_NAME]: await encodeSignatureHeader(delivery.body, Date.now(), definition.secret),
            'idempotency-key': idempotencyKey,
            'sanity-operation': delivery.operation,
            'sanity-document-id': delivery.documentId,
            'sanity-transaction-id': delivery.transactionId,
            'sanity-dataset': dataset,
            'sanity-project-id': 'local',
            'sanity-webhook-id': `gatehouse-${definition.target}`,
          },
          body: delivery.body,
          signal: AbortSignal.timeout(timeoutMs),
        })
        status = response.status
        await response.arrayBuffer()
      } catch {
        status = 'error'
      }
      this.deliveries.push({ webhook: definition.name, documentId: delivery.documentId, operation: delivery.operation, status, attempt })
      log({ event: 'lake.webhook', webhook: definition.name, documentId: delivery.documentId, operation: delivery.operation, status, attempt })
      const retryable = status === 'error' || status === 429 || status >= 500
      if (!retryable) return
      await new Promise((resolve) => setTimeout(resolve, initialBackoffMs * 2 ** (attempt - 1)))
    }
  }
}
