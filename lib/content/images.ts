import 'server-only'
import { getImageDimensions } from '@sanity/asset-utils'
import { createImageUrlBuilder, type ImageUrlBuilder } from '@sanity/image-url'
import { z } from 'zod'
import { getConfig } from '@/lib/config'
import { log } from '@/lib/log'

// Body images: Sanity image assets, addressed by Sanity's URL scheme under the configured image base
// (Sanity's CDN, or the local lake serving the seed's assets). The URL carries the editor's crop; the
// browser picks a width through next/image's loader (./image-loader.ts). Asset URLs are public to
// anyone holding them, so they appear only inside a body the reader may read (./queries.ts).

const imageSchema = z.object({
  _key: z.string().optional(),
  asset: z.object({ _ref: z.string().regex(/^image-[0-9a-f]+-\d+x\d+-[a-z]+$/) }),
  alt: z.string().trim().min(1),
  caption: z.string().nullable().optional(),
  crop: z.object({ top: z.number(), bottom: z.number(), left: z.number(), right: z.number() }).partial().nullable().optional(),
  hotspot: z
    .object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) })
    .nullable()
    .optional(),
})

export type BodyImage = { src: string; width: number; height: number; alt: string; caption: string | null; objectPosition: string }

let builder: ImageUrlBuilder | undefined
function imageUrls(): ImageUrlBuilder {
  const { projectId, dataset, imageBaseUrl } = getConfig().content
  return (builder ??= createImageUrlBuilder({ projectId, dataset, baseUrl: imageBaseUrl }))
}

/** What the body's image renderer needs, or null (logged) for an image without an asset or alt text. */
export function bodyImage(value: unknown): BodyImage | null {
  const parsed = imageSchema.safeParse(value)
  if (!parsed.success) {
    log.warn('content.malformed', { what: 'image', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) })
    return null
  }
  const image = parsed.data
  const full = getImageDimensions(image.asset._ref)
  const crop = { top: 0, bottom: 0, left: 0, right: 0, ...image.crop }
  const width = Math.max(1, Math.round(full.width * (1 - crop.left - crop.right)))
  const height = Math.max(1, Math.round(full.height * (1 - crop.top - crop.bottom)))
  const focus = image.hotspot ?? { x: 0.5, y: 0.5 }
  return {
    src: imageUrls().image(image).url(),
    width,
    height,
    alt: image.alt,
    caption: image.caption ?? null,
    objectPosition: `${Math.round(focus.x * 100)}% ${Math.round(focus.y * 100)}%`,
  }
}
