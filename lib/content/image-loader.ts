'use client'
// next/image's loader (next.config.ts images.loaderFile): the server built the Sanity image URL
// (./images.ts); the browser asks for the width it needs. Sanity's CDN resizes; the local lake ignores
// the parameters and serves the original.

export default function sanityImageLoader({ src, width, quality }: { src: string; width: number; quality?: number }): string {
  const url = new URL(src)
  url.searchParams.set('w', String(width))
  url.searchParams.set('q', String(quality ?? 75))
  url.searchParams.set('fit', 'max')
  url.searchParams.set('auto', 'format')
  return url.toString()
}
