import 'server-only'
import { getImageDimensions } from '@sanity/asset-utils'
import { createImageUrlBuilder, type ImageUrlBuilder } from '@sanity/image-url'
import { z } from 'zod'
import { getConfig } from '@/lib/config'
import { log } from '@/lib/log'

// Body images: Sanity image assets, addressed by Sanity's URL scheme under the configured image base
// (Sanity's CDN, or the local lake serving the seed's assets). The URL carries the editor's crop; the
// browser picks a width from a srcset built here (Sanity's CDN resizes; the local lake ignores the
// parameters and serves the original), so no image component ships to the browser. Asset URLs are public to
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

export type BodyImage = {
  /** The image as the editor cropped it, at its own size (Markdown links to this). */
  url: string
  /** What a browser without srcset support loads: at most 1080 px wide. */
  src: string
  /** `<url> <width>w, …` for the widths up to the image's own. */
  srcSet: string
  width: number
  height: number
  alt: string
  caption: string | null
  objectPosition: string
}

/** The widths a browser may pick from (Next's default device sizes): an image is never requested wider than it is. */
const WIDTHS = [640, 750, 828, 1080, 1200, 1920, 2048, 3840]

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
  const sized = (w: number) => imageUrls().image(image).width(w).quality(75).fit('max').auto('format').url()
  const widths = [...WIDTHS.filter((w) => w < width), width]
  return {
    url: imageUrls().image(image).url(),
    src: sized(Math.min(width, 1080)),
    srcSet: widths.map((w) => `${sized(w)} ${w}w`).join(', '),
    width,
    height,
    alt: image.alt,
    caption: image.caption ?? null,
    objectPosition: `${Math.round(focus.x * 100)}% ${Math.round(focus.y * 100)}%`,
  }
}
