import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // forbidden() renders app/**/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // Body images load straight from Sanity's image CDN (or the local lake), sized by this loader.
  images: { loader: 'custom', loaderFile: './lib/content/image-loader.ts' },
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
