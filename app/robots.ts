import type { MetadataRoute } from 'next'
import { getConfig } from '@/lib/config'

export const dynamic = 'force-dynamic'

/** Crawlers may read the public pages; the personal and operational ones are none of their business. */
export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: '*', allow: '/', disallow: ['/account', '/preview', '/sign-in', '/studio', '/auth/', '/api/'] },
    sitemap: `${getConfig().appBaseUrl}/sitemap.xml`,
  }
}
