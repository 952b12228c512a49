import { protectedResourceMetadata } from '@/lib/auth/bearer'
import { withRouteErrors } from '@/lib/http/errors'

/** OAuth 2.0 Protected Resource Metadata (RFC 9728) for the docs: llms.txt, llms-full.txt, /docs/<slug>.md. */
export const GET = withRouteErrors('resource-metadata', () => protectedResourceMetadata('docs'))
