import type { NextConfig } from 'next'
import { fileURLToPath } from 'node:url'

const nextConfig: NextConfig = {
  experimental: {
    // forbidden() renders app/**/forbidden.tsx with a real 403 status.
    authInterrupts: true,
    // `'use cache'`, `cacheTag` and `cacheLife` for the content cache (lib/content/cache.ts) — without
    // top-level `cacheComponents`: with it, a page that reads the session streams its shell first, so
    // forbidden(), notFound() and redirect() answer 200 (tried on 16.4.6, `instant = false` included),
    // and a prerendered shell cannot carry our per-request CSP nonce. Deprecated in favour of
    // `cacheComponents`; README, *Caching model*, says what moving costs.
    useCache: true,
    // A link prefetched on intent (app/components/intent-link.tsx) is reused for a click within 30 s
    // (the minimum; Next's default is 5 min): a page rendered for a reader's old grants is not shown
    // long after a revocation.
    staleTimes: { static: 30 },
  },
  // Entries in memory, tag expirations in the shared store, so a publish reaches every instance.
  cacheHandlers: { default: fileURLToPath(new URL('./lib/content/next-cache-handler.mjs', import.meta.url)) },
  poweredByHeader: false,
  // No image goes through Next's optimizer (body images are srcsets on Sanity's CDN, built in
  // lib/content/images.ts): an empty allow-list makes /_next/image refuse every URL with a 400.
  images: { localPatterns: [] },
  // proxy.ts sees requests as sent, RSC headers included, so it can refuse a malformed router state
  // with 400 before Next's renderer fails on it with 500 (lib/security/router-state.ts).
  skipProxyUrlNormalize: true,
  // The dev stand-ins are never part of the app bundle.
  outputFileTracingExcludes: { '*': ['dev/**', 'e2e/**', 'tests/**', '.data/**'] },
  // Pages and routes get their security headers (CSP with a per-request nonce, HSTS, Permissions-
  // Policy) from proxy.ts; these cover static files too. No X-Frame-Options: it forbids every frame,
  // the Studio's Presentation preview included; CSP frame-ancestors 'self' replaces it.
  // /docs/<slug>.md: the doc as Markdown (app/api/md/[slug]/route.ts), for people and programs alike.
  async rewrites() {
    return [{ source: '/docs/:slug([a-z0-9][a-z0-9-]{0,95}).md', destination: '/api/md/:slug' }]
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
    ]
  },
}

export default nextConfig
