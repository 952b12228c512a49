import { parseAndValidateFlightRouterState } from 'next/dist/server/app-render/parse-and-validate-flight-router-state'

/**
 * Next parses the router state a client sends with an RSC request and answers 500 when it cannot.
 * proxy.ts answers 400 instead, using Next's own parser so the two can never disagree. (proxy.ts only
 * sees this header because next.config sets `skipProxyUrlNormalize`; Next strips it otherwise.)
 */
export function malformedRouterState(headers: Headers): boolean {
  if (headers.get('rsc') !== '1') return false
  const value = headers.get('next-router-state-tree')
  if (value === null) return false
  try {
    parseAndValidateFlightRouterState(value)
    return false
  } catch {
    return true
  }
}
