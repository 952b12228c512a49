import { PROVIDERS, type ProviderDefinition } from '@/lib/auth/providers/registry'
import type { Config } from '@/lib/config'

/**
 * The security headers of every page and route response, decided per request in proxy.ts (the
 * nonce changes each time; HSTS depends on APP_BASE_URL at run time, not build time).
 */

/** The Studio talks to Sanity's APIs and CDN from the browser; nothing else does. */
const STUDIO = {
  script: ['https://core.sanity-cdn.com'],
  connect: ['https://*.sanity.io', 'wss://*.sanity.io', 'https://core.sanity-cdn.com'],
  img: ['https://cdn.sanity.io', 'https://*.sanity.io', 'blob:'],
  frame: ['https://*.sanity.io'],
}

export function contentSecurityPolicy(config: Config, nonce: string, options: { studio: boolean; dev?: boolean }): string {
  // The configured provider's browser-side origins, from its registry entry.
  const sources = (PROVIDERS[config.auth.provider] as unknown as ProviderDefinition).csp(config.auth as never)
  const provider = {
    script: sources.script ?? [],
    connect: sources.connect ?? [],
    frame: sources.frame ?? [],
    form: sources.form ?? [],
    img: sources.img ?? [],
  }
  const studio = options.studio ? STUDIO : { script: [], connect: [], img: [], frame: [] }
  const list = (...values: string[]) => [...new Set(values)].join(' ')
  const directives: Record<string, string> = {
    'default-src': "'self'",
    // Scripts need this response's nonce; what they load is trusted transitively ('strict-dynamic').
    // React's dev overlay evaluates code, so development alone allows 'unsafe-eval'.
    'script-src': list("'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.dev ? ["'unsafe-eval'"] : []), ...provider.script, ...studio.script),
    // Next, Tailwind and the widgets inject style attributes; styles cannot run code.
    'style-src': "'self' 'unsafe-inline'",
    // Body images come from Sanity's image CDN (or the local lake) under the configured base URL.
    'img-src': list("'self'", 'data:', new URL(config.content.imageBaseUrl).origin, ...provider.img, ...studio.img),
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
