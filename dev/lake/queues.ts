/**
 * One task at a time per key, in order: Sanity delivers one request at a time per webhook, and the
 * lake does the same per webhook and per function. DEV ONLY.
 */
export class SerialQueues {
  private readonly queues = new Map<string, Promise<void>>()

  enqueue(key: string, task: () => Promise<void>): void {
    const next = (this.queues.get(key) ?? Promise.resolve()).then(task).catch(() => undefined)
    this.queues.set(key, next)
    void next.then(() => {
      if (this.queues.get(key) === next) this.queues.delete(key)
    })
  }

  /** Resolves when every queued task has finished (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values())
  }
}
