import { protectedResourceMetadata } from '@/lib/auth/bearer'
import { withRouteErrors } from '@/lib/http/errors'

/** OAuth 2.0 Protected Resource Metadata (RFC 9728) for the MCP server at /api/mcp. */
export const GET = withRouteErrors('resource-metadata', () => protectedResourceMetadata('mcp'))
