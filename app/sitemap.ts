import type { MetadataRoute } from 'next'
import { getConfig } from '@/lib/config'
import { getPublicDocs } from '@/lib/content/docs'

export const dynamic = 'force-dynamic'

/**
 * Public docs only: the query holds no reader (lib/content/queries.ts PUBLIC_DOCS_QUERY), so what is
 * listed is what a signed-out visitor may read, whoever fetches the sitemap. Sections with a public doc
 * are listed too. Rendered per request (the content changes without a deploy).
 */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const base = getConfig().appBaseUrl
  const docs = await getPublicDocs()
  const sections = [...new Set(docs.flatMap((doc) => (doc.section ? [doc.section] : [])))]
  return [
    { url: `${base}/`, changeFrequency: 'daily', priority: 1 },
    ...sections.map((slug) => ({ url: `${base}/sections/${slug}`, changeFrequency: 'weekly' as const, priority: 0.6 })),
    ...docs.map((doc) => ({
      url: `${base}/docs/${doc.slug}`,
      ...(doc.updatedAt ? { lastModified: doc.updatedAt } : {}),
      changeFrequency: 'weekly' as const,
      priority: 0.8,
    })),
  ]
}
