// Runs Sanity Functions on committed transactions the way Sanity invokes document functions: each
// function's filter and projection evaluated with groq-js in delta mode (before()/after(),
// delta::operation()) on the document before and after the change, drafts and versions excluded, one
// invocation at a time per function. A failed invocation is retried with backoff, as the lake retries
// webhooks (at-least-once; the handler must be safe to run again). DEV ONLY.
import { evaluate, parse } from 'groq-js'
import type { FunctionEventDefinition } from '../../sanity/webhooks.ts'
import { SerialQueues } from './queues.ts'
import type { SanityDocument, Transaction } from './store.ts'

export type FunctionOptions = {
  definitions: FunctionEventDefinition[]
  /** Runs the function with its event data; throws when the invocation failed. */
  invoke(definition: FunctionEventDefinition, data: unknown): Promise<void>
  /** Backoff of the first retry; doubles each time. */
  initialBackoffMs?: number
  maxAttempts?: number
  log?: (line: Record<string, unknown>) => void
}

export type InvocationRecord = { function: string; documentId: string; operation: string; ok: boolean; attempt: number }

const isDraft = (id: string) => id.startsWith('drafts.') || id.startsWith('versions.')

/** The event data Sanity would deliver for one change, or undefined when the filter does not match. */
export async function functionEventOf(
  definition: FunctionEventDefinition,
  change: { id: string; before: SanityDocument | null; after: SanityDocument | null },
): Promise<unknown> {
  const doc = change.after ?? change.before
  if (!doc) return undefined
  const query = `*[${definition.filter}]${definition.projection}`
  const result = await evaluate(parse(query, { mode: 'delta' }), { dataset: [doc], before: change.before ?? undefined, after: change.after ?? undefined })
  return ((await result.get()) as unknown[])[0]
}

export class FunctionDispatcher {
  private readonly options: FunctionOptions
  private readonly queues = new SerialQueues()
  readonly invocations: InvocationRecord[] = []

  constructor(options: FunctionOptions) {
    this.options = options
  }

  /** Called after each committed transaction. */
  async dispatch(tx: Transaction): Promise<void> {
    for (const change of tx.changes) {
      if (isDraft(change.id)) continue
      const operation = change.before === null ? 'create' : change.after === null ? 'delete' : 'update'
      for (const definition of this.options.definitions) {
        if (!definition.on.includes(operation)) continue
        const data = await functionEventOf(definition, change)
        if (data === undefined || data === null) continue
        this.queues.enqueue(definition.name, () => this.run(definition, data, change.id, operation))
      }
    }
  }

  idle(): Promise<void> {
    return this.queues.idle()
  }

  private async run(definition: FunctionEventDefinition, data: unknown, documentId: string, operation: string) {
    const { initialBackoffMs = 1000, maxAttempts = 8, log = () => undefined } = this.options
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let ok = true
      try {
        await this.options.invoke(definition, data)
      } catch {
        ok = false
      }
      this.invocations.push({ function: definition.name, documentId, operation, ok, attempt })
      log({ event: 'lake.function', function: definition.name, documentId, operation, ok, attempt })
      if (ok) return
      await new Promise((resolve) => setTimeout(resolve, initialBackoffMs * 2 ** (attempt - 1)))
    }
  }
}
