import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // forbidden() renders app/**/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // The dev stand-ins are never part of the app bundle.
  outputFileTracingExcludes: { '*': ['dev/**', 'e2e/**', 'tests/**', '.data/**'] },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ]
  },
}

export default nextConfig
