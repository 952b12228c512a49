// Runs once when the server starts: a missing production setting stops start-up with a message
// naming the variable, instead of failing on the first reader's request — and so does a sync target
// setting its SDK refuses (each enabled target is built now, not on its first delivery); then the
// content cache's handler is installed where Next's `'use cache'` handler module finds it
// (next.config.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getConfig } = await import('./lib/config')
    getConfig()
    const { prepareSyncTargets } = await import('./lib/sync/handle')
    await prepareSyncTargets()
    const { installContentCacheHandler } = await import('./lib/content/cache-handler')
    installContentCacheHandler()
  }
}
