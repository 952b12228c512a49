import type { Config } from '@/lib/config'

/**
 * The security headers of every page and route response, decided per request in proxy.ts (the
 * nonce changes each time; HSTS depends on APP_BASE_URL at run time, not build time).
 */

/** Where the configured provider's browser code loads from and talks to (Descope's flow, Clerk's widget). */
function providerSources(config: Config): { script: string[]; connect: string[]; frame: string[]; form: string[]; img: string[] } {
  const auth = config.auth
  switch (auth.provider) {
    case 'local':
    case 'oidc':
    case 'okta':
      // Sign-out posts to /auth/logout, which redirects to the IdP's end-session endpoint.
      return { script: [], connect: [], frame: [], form: [new URL(auth.issuer).origin], img: [] }
    case 'auth0': {
      const origin = /^https?:\/\//.test(auth.domain) ? new URL(auth.domain).origin : `https://${auth.domain}`
      return { script: [], connect: [], frame: [], form: [origin], img: [] }
    }
    case 'descope': {
      const api = auth.baseUrl ? new URL(auth.baseUrl).origin : 'https://api.descope.com'
      return { script: ['https://descopecdn.com', 'https://static.descope.com', api], connect: [api, 'https://*.descope.com'], frame: [api], form: [], img: ['https:'] }
    }
    case 'clerk': {
      const frontendApi = new URL(auth.issuer).origin
      return {
        script: [frontendApi, 'https://challenges.cloudflare.com'],
        connect: [frontendApi],
        frame: ['https://challenges.cloudflare.com'],
        form: [],
        img: ['https://img.clerk.com'],
      }
    }
  }
}

/** The Studio talks to Sanity's APIs and CDN from the browser; nothing else does. */
const STUDIO = {
  script: ['https://core.sanity-cdn.com'],
  connect: ['https://*.sanity.io', 'wss://*.sanity.io', 'https://core.sanity-cdn.com'],
  img: ['https://cdn.sanity.io', 'https://*.sanity.io', 'blob:'],
  frame: ['https://*.sanity.io'],
}

export function contentSecurityPolicy(config: Config, nonce: string, options: { studio: boolean; dev?: boolean }): string {
  const provider = providerSources(config)
  const studio = options.studio ? STUDIO : { script: [], connect: [], img: [], frame: [] }
  const list = (...values: string[]) => [...new Set(values)].join(' ')
  const directives: Record<string, string> = {
    'default-src': "'self'",
    // Scripts need this response's nonce; what they load is trusted transitively ('strict-dynamic').
    // React's dev overlay evaluates code, so development alone allows 'unsafe-eval'.
    'script-src': list("'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : []), ...provider.script, ...studio.script),
    // Next, Tailwind and the widgets inject style attributes; styles cannot run code.
    'style-src': "'self' 'unsafe-inline'",
    'img-src': list("'self'", 'data:', ...provider.img, ...studio.img),
    'font-src': "'self' data:",
    'connect-src': list("'self'", ...(options.dev ? ['ws:'] : []), ...provider.connect, ...studio.connect),
    'frame-src': list("'self'", ...provider.frame, ...studio.frame),
    // Framing by this site only: the Studio's Presentation tool previews pages in an iframe.
    'frame-ancestors': "'self'",
    'form-action': list("'self'", ...provider.form),
    'base-uri': "'self'",
    'object-src': "'none'",
    'worker-src': "'self' blob:",
    ...(config.secureCookies ? { 'upgrade-insecure-requests': '' } : {}),
  }
  return Object.entries(directives)
    .map(([name, value]) => (value ? `${name} ${value}` : name))
    .join('; ')
}

export function securityHeaders(config: Config, csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...(config.secureCookies ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  }
}

/** Responses that carry or change a session, or redirect on one, are never stored by a browser or CDN. */
export function mustNotBeStored(pathname: string, status: number): boolean {
  return pathname.startsWith('/auth/') || pathname.startsWith('/api/draft-mode/') || pathname.startsWith('/api/preview') || (status >= 300 && status < 400)
}
