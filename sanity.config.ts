import { codeInput } from '@sanity/code-input'
import { defineConfig } from 'sanity'
import { defineLocations, presentationTool } from 'sanity/presentation'
import { structureTool } from 'sanity/structure'
import { schemaTypes } from './sanity/schemaTypes'
import { cliProject } from './lib/config/studio'
import { structure } from './sanity/structure'

/**
 * The embedded Studio at /studio. projectId and dataset come from the server at run time (one build
 * serves any project); editors sign in to Sanity with their own accounts — no Gatehouse token here.
 */
export function studioConfig({ projectId, dataset }: { projectId: string; dataset: string }) {
  return defineConfig({
    name: 'gatehouse',
    title: 'Gatehouse',
    basePath: '/studio',
    projectId,
    dataset,
    schema: { types: schemaTypes },
    plugins: [
      structureTool({ structure }),
      codeInput(),
      presentationTool({
        previewUrl: { previewMode: { enable: '/api/draft-mode/enable', disable: '/api/draft-mode/disable' } },
        resolve: {
          locations: {
            gatedPage: defineLocations({
              select: { title: 'title', slug: 'slug.current' },
              resolve: (doc) => ({
                locations: [
                  { title: doc?.title ?? 'Untitled', href: `/docs/${doc?.slug}` },
                  { title: 'Docs home', href: '/' },
                ],
              }),
            }),
          },
        },
      }),
    ],
  })
}

/** For the Sanity CLI (schema extract, typegen): the same Studio, with the project from the environment. */
export default studioConfig(cliProject())
