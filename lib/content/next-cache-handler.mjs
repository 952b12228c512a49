// Next's `'use cache'` handler (next.config.ts `cacheHandlers.default`). Next imports this file at run
// time, outside the app's bundles, so it holds no logic: it forwards to the handler instrumentation.ts
// installs from lib/content/cache-handler.ts (which can use the app's config and shared store). Before
// that handler exists (a build, or the instant before start-up finishes) nothing is served from or
// kept in the cache: every read goes to Sanity.

const handler = () => globalThis[Symbol.for('gatehouse.contentCache')]?.handler

/** @type {import('next/dist/server/lib/cache-handlers/types').CacheHandler} */
const forwarding = {
  get: (cacheKey, softTags) => handler()?.get(cacheKey, softTags) ?? Promise.resolve(undefined),
  async set(cacheKey, pendingEntry) {
    const installed = handler()
    if (installed) return installed.set(cacheKey, pendingEntry)
    const entry = await pendingEntry.catch(() => null)
    await entry?.value.cancel().catch(() => undefined)
  },
  refreshTags: () => handler()?.refreshTags() ?? Promise.resolve(),
  getExpiration: (tags) => handler()?.getExpiration(tags) ?? Promise.resolve(Infinity),
  updateTags: (tags, durations) => handler()?.updateTags(tags, durations) ?? Promise.resolve(),
}

export default forwarding
