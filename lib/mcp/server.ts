import 'server-only'
import { z } from 'zod'
import type { Audience } from '@/lib/auth/dal'
import { getConfig } from '@/lib/config'
import { auditDocDecision, readDoc } from '@/lib/content/docs'
import { docToMarkdown, teaserToMarkdown } from '@/lib/content/markdown'
import { searchDocs } from '@/lib/content/search'
import { SLUG_PATTERN } from '@/lib/content/slug'
import { isUpstreamFailure, RETRY_AFTER_SECONDS } from '@/lib/http/errors'
import { log } from '@/lib/log'
import { BoundedMcpServer } from './batch'

type ToolResult = { isError?: boolean; content: { type: 'text'; text: string }[] }

/**
 * A tool's callback with its failures answered in fixed words: the SDK would put the error's own
 * message (a host name, an address, a store's error) in the result. Logged here, whole.
 */
function guarded<A>(tool: string, run: (args: A) => Promise<ToolResult>): (args: A) => Promise<ToolResult> {
  return async (args) => {
    try {
      return await run(args)
    } catch (error) {
      log.failure('mcp.tool_failed', error, { tool })
      const text = isUpstreamFailure(error)
        ? `The documentation is temporarily unavailable. Retry in ${RETRY_AFTER_SECONDS} seconds.`
        : 'The request could not be completed.'
      return { isError: true, content: [{ type: 'text', text }] }
    }
  }
}

// The MCP server: two tools over the same content functions the site uses, run for the audience the
// bearer token resolved to — so an assistant gets exactly what that reader would get in a browser,
// restricted sections included, and every call lands in the audit trail. A batch holds at most
// MCP_MAX_BATCH calls (./batch.ts), so one request writes at most that many audit events.

export function mcpServerFor(audience: Audience): BoundedMcpServer {
  const baseUrl = getConfig().appBaseUrl
  const server = new BoundedMcpServer({ name: 'gatehouse-docs', version: '1.0.0' }, { capabilities: { tools: {} } })

  server.registerTool(
    'search_docs',
    {
      title: 'Search the docs',
      description: 'Searches the documentation this reader may read (titles, excerpts and text). Locked docs match on title and excerpt only.',
      inputSchema: { query: z.string().min(1).max(200).describe('Words to search for') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('search_docs', async ({ query }: { query: string }) => {
      const results = await searchDocs(audience, query, 'mcp')
      const lines = results.map((r) =>
        r.readable
          ? `- ${r.title} (${r.slug}): ${baseUrl}/docs/${r.slug}.md${r.snippet ? `\n  ${r.snippet.map((p) => p.text).join('')}` : ''}`
          : `- ${r.title} (${r.slug}, locked: ${r.missing.join(' ')})`,
      )
      return { content: [{ type: 'text', text: results.length === 0 ? 'No docs you can read match.' : lines.join('\n') }] }
    }),
  )

  server.registerTool(
    'read_doc',
    {
      title: 'Read a doc',
      description: 'Returns one doc as Markdown, if this reader may read it; a locked doc returns what it requires.',
      inputSchema: { slug: z.string().regex(SLUG_PATTERN).describe('The doc’s slug, as search_docs lists it') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded('read_doc', async ({ slug }: { slug: string }) => {
      const decision = await readDoc(audience, slug)
      await auditDocDecision(slug, decision, audience, 'mcp')
      switch (decision.kind) {
        case 'read':
          return { content: [{ type: 'text', text: docToMarkdown(decision.doc, baseUrl) }] }
        case 'forbidden':
          return { isError: true, content: [{ type: 'text', text: teaserToMarkdown(decision.doc, decision.missing, baseUrl) }] }
        default:
          // Hidden and missing docs are indistinguishable (a bearer reader is always signed in).
          return { isError: true, content: [{ type: 'text', text: `No doc "${slug}" is available to you.` }] }
      }
    }),
  )
  return server
}
