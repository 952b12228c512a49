// `next/cache` for unit tests (vitest.config.ts aliases it): Vitest does not compile `'use cache'`, so
// the cached reader functions run as plain functions here, and what they ask of Next is recorded —
// the tags and lifetime of each entry, and each tag the content webhook expires. What Next does with
// them (keys, hits, expiry) is tested on the real handler (tests/cache-handler.test.ts) and in a
// production build (e2e/caching.spec.ts).

export const nextCache = {
  /** One element per cached function run: the tags it gave its entry. */
  tags: [] as string[][],
  lives: [] as { stale?: number; revalidate?: number; expire?: number }[],
  revalidated: [] as [string, unknown][],
  reset() {
    this.tags.length = 0
    this.lives.length = 0
    this.revalidated.length = 0
  },
}

export function cacheTag(...tags: string[]): void {
  nextCache.tags.push(tags)
}

export function cacheLife(profile: { stale?: number; revalidate?: number; expire?: number }): void {
  nextCache.lives.push(profile)
}

export function revalidateTag(tag: string, profile: unknown): void {
  nextCache.revalidated.push([tag, profile])
}
