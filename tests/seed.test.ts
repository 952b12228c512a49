// The seed is built from its sources (sanity/seed/build.ts) and is content the Studio can edit.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSeed, SEED_FILE } from '@/sanity/seed/build'
import { loadSeed } from './access-matrix'

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../schema.json'), 'utf8')) as { name: string; attributes?: Record<string, unknown> }[]

/** Every value of a given attribute name anywhere in an extracted-schema descriptor (e.g. `_type`, `style`). */
function literals(descriptor: unknown, attribute: string): Set<string> {
  const found = new Set<string>()
  const walk = (value: unknown, under: string | null) => {
    if (Array.isArray(value)) return value.forEach((item) => walk(item, under))
    if (typeof value !== 'object' || value === null) return
    const record = value as Record<string, unknown>
    if (under === attribute && record.type === 'string' && typeof record.value === 'string') found.add(record.value)
    for (const [key, item] of Object.entries(record)) walk(item, key === 'attributes' ? null : key === attribute ? attribute : under)
  }
  walk(descriptor, null)
  return found
}

/** Named types a descriptor refers to (`{ type: 'inline', name }`), followed through the schema. */
function withReferencedTypes(descriptor: unknown): unknown[] {
  const seen = new Set<string>()
  const queue: unknown[] = [descriptor]
  const all: unknown[] = []
  while (queue.length > 0) {
    const next = queue.pop()
    all.push(next)
    for (const name of JSON.stringify(next).matchAll(/"type":"inline","name":"([^"]+)"/g)) {
      if (seen.has(name[1]!)) continue
      seen.add(name[1]!)
      const type = schema.find((t) => t.name === name[1])
      if (type) queue.push(type)
    }
  }
  return [...all, ...[...seen].map((name) => ({ attributes: { _type: { type: 'string', value: name } } }))]
}

/** Every value of a key anywhere in the seed's page bodies. */
function used(key: string): Set<string> {
  const found = new Set<string>()
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (typeof value !== 'object' || value === null) return
    for (const [k, item] of Object.entries(value)) {
      if (k === key && typeof item === 'string') found.add(item)
      walk(item)
    }
  }
  for (const doc of loadSeed().filter((d) => d._type === 'gatedPage')) walk(doc.body)
  return found
}

describe('seed', () => {
  it('seed.ndjson is what its sources build (edit sanity/seed/source, then npm run seed:build)', () => {
    expect(buildSeed() === readFileSync(SEED_FILE, 'utf8')).toBe(true)
  })

  it('page bodies use only the types, styles and lists the Studio schema declares', () => {
    // The body's descriptor and every type it names (callout, table, code, image hotspot and crop, …).
    const body = withReferencedTypes(schema.find((t) => t.name === 'gatedPage')!.attributes!.body)
    const declared = (key: string) => new Set(body.flatMap((descriptor) => [...literals(descriptor, key)]))
    for (const name of ['block', 'image', 'code', 'callout', 'table', 'restrictedBlock', 'docLink', 'link']) expect(declared('_type'), name).toContain(name)
    expect(declared('_type').has('video'), 'a type the schema lacks').toBe(false)
    expect(declared('style').has('h1'), 'h1 is the title, not a body style').toBe(false)
    for (const type of used('_type')) expect(declared('_type'), `_type ${type}`).toContain(type)
    for (const style of used('style')) expect(declared('style'), `style ${style}`).toContain(style)
    for (const list of used('listItem')) expect(declared('listItem'), `listItem ${list}`).toContain(list)
  })

  it('every image the seed references is an asset in the seed, and every asset file is used', () => {
    const assets = new Set(
      loadSeed()
        .filter((d) => d._type === 'sanity.imageAsset')
        .map((d) => d._id),
    )
    const refs = new Set([...JSON.stringify(loadSeed().filter((d) => d._type === 'gatedPage')).matchAll(/"_ref":"(image-[^"]+)"/g)].map((m) => m[1]!))
    expect([...refs].sort()).toEqual([...assets].sort())
  })
})
