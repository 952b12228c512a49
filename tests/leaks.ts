// What a reader must never receive, from the seed and the access matrix: shared by unit and e2e tests.
import { accessMatrix, expectedOutcome, expectedSection, loadSeed, sectionMatrix, seedMarkers, type Reader } from './access-matrix'

/** Titles of the docs hidden from this reader (404 for them): not even a title may reach them. */
export function hiddenTitles(reader: Reader): string[] {
  const titles = new Map(loadSeed().flatMap((doc) => (doc._type === 'gatedPage' ? [[(doc.slug as { current: string }).current, String(doc.title)]] : [])))
  return Object.keys(accessMatrix)
    .filter((slug) => expectedOutcome(slug, reader) === 'notFound')
    .map((slug) => titles.get(slug)!)
}

/** Image asset ids used by the docs this reader may read; any other seeded image is a leak. */
export function readableImageAssets(reader: Reader): { allowed: Set<string>; all: Set<string> } {
  const allowed = new Set<string>()
  const all = new Set<string>()
  for (const doc of loadSeed().filter((d) => d._type === 'gatedPage')) {
    const ids = [...JSON.stringify(doc.body).matchAll(/image-([0-9a-f]{40})-\d+x\d+-[a-z]+/g)].map((m) => m[1]!)
    ids.forEach((id) => all.add(id))
    if (expectedOutcome((doc.slug as { current: string }).current, reader) === 'read') ids.forEach((id) => allowed.add(id))
  }
  return { allowed, all }
}

/**
 * Everything this reader may not receive, found in `text`: markers of docs they cannot read and of
 * restricted sections they may not see, titles of docs hidden from them, images of docs they cannot read.
 */
export function leaksIn(text: string, reader: Reader): string[] {
  const found: string[] = []
  for (const [slug, marker] of Object.entries(seedMarkers())) {
    if (expectedOutcome(slug, reader) !== 'read' && text.includes(marker)) found.push(`marker of ${slug}`)
  }
  for (const marker of Object.keys(sectionMatrix)) {
    if (expectedSection(marker, reader) !== 'S' && text.includes(marker)) found.push(`restricted section ${marker}`)
  }
  for (const title of hiddenTitles(reader)) if (text.includes(title)) found.push(`hidden title "${title}"`)
  const { allowed, all } = readableImageAssets(reader)
  for (const id of all) if (!allowed.has(id) && text.includes(id)) found.push(`image ${id}`)
  return found
}
