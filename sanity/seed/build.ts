// Builds sanity/seed/seed.ndjson — the dataset the local lake starts from and `sanity dataset import`
// takes — from readable sources: access documents (source/access.ndjson), sections and page metadata
// (source/docs.ts), one Markdown file per page body (source/pages/<slug>.md) and the images in
// assets/. Markdown becomes Portable Text with @portabletext/markdown, under the body schema the Studio
// edits (sanity/schemaTypes/body); anything it cannot carry fails the build instead of degrading.
//
//   npm run seed:build          writes seed.ndjson
//   node sanity/seed/build.ts --check   exits 1 if seed.ndjson is out of date (tests/seed.test.ts)
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { markdownToPortableText } from '@portabletext/markdown'
import { compileSchema, defineSchema } from '@portabletext/schema'
import { LexoRank } from 'lexorank'
import { DIMENSIONS } from '../../lib/access/dimensions.ts'
import { codeLanguageOf } from '../../lib/content/code-languages.ts'
import { IMAGES, PAGES, SECTIONS, type SeedPage } from './source/docs.ts'

const here = import.meta.dirname
export const SEED_FILE = join(here, 'seed.ndjson')
export const ASSETS_DIR = join(here, 'assets')

/** The body schema of sanity/schemaTypes/body, in Portable Text's terms (tests/seed.test.ts compares). */
const bodySchema = compileSchema(
  defineSchema({
    styles: [{ name: 'normal' }, { name: 'h2' }, { name: 'h3' }, { name: 'h4' }, { name: 'blockquote' }],
    lists: [{ name: 'bullet' }, { name: 'number' }],
    decorators: [{ name: 'strong' }, { name: 'em' }, { name: 'code' }],
    annotations: [
      { name: 'link', fields: [{ name: 'href', type: 'string' }] },
      { name: 'docLink', fields: [{ name: 'reference', type: 'object' }] },
    ],
    blockObjects: [
      {
        name: 'image',
        fields: [
          { name: 'asset', type: 'object' },
          { name: 'alt', type: 'string' },
          { name: 'caption', type: 'string' },
        ],
      },
      {
        name: 'code',
        fields: [
          { name: 'language', type: 'string' },
          { name: 'filename', type: 'string' },
          { name: 'code', type: 'string' },
        ],
      },
      {
        name: 'callout',
        fields: [
          { name: 'tone', type: 'string' },
          { name: 'content', type: 'array', of: [{ type: 'block' }] },
        ],
      },
      {
        name: 'table',
        fields: [
          { name: 'headerRows', type: 'number' },
          { name: 'rows', type: 'array' },
        ],
      },
    ],
  }),
)

type Json = Record<string, unknown>

/** Sanity's image asset id: `image-<sha1>-<width>x<height>-<format>`, read from the PNG itself. */
function imageAsset(file: string): Json & { _id: string } {
  const bytes = readFileSync(join(ASSETS_DIR, file))
  if (bytes.readUInt32BE(12) !== 0x49484452) throw new Error(`${file}: not a PNG`)
  const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]
  const sha1 = createHash('sha1').update(bytes).digest('hex')
  if (file !== `${sha1}-${width}x${height}.png`) throw new Error(`${file}: must be named ${sha1}-${width}x${height}.png`)
  return {
    _id: `image-${sha1}-${width}x${height}-png`,
    _type: 'sanity.imageAsset',
    assetId: sha1,
    extension: 'png',
    mimeType: 'image/png',
    size: bytes.length,
    originalFilename: file,
    metadata: { _type: 'sanity.imageMetadata', dimensions: { _type: 'sanity.imageDimensions', width, height, aspectRatio: width / height } },
  }
}

/**
 * A restricted section in Markdown: `:::restricted <field>=<value> …` on its own line, the section's
 * Markdown, then `:::`. Fields are the gatedPage access fields (lib/access/dimensions.ts; lists
 * comma-separated) and `visibility` (teaser or hidden); the audience defaults to signed-in readers.
 */
const RESTRICTED_OPEN = /^:::restricted(?:\s+(.*))?$/
const RESTRICTED_CLOSE = /^:::\s*$/

function restrictedFields(attributes: string, fail: (message: string) => never): Json {
  const fields: Json = { audience: 'signedIn', visibility: 'teaser' }
  for (const pair of attributes.split(/\s+/).filter(Boolean)) {
    const [name, value = ''] = pair.split('=') as [string, string?]
    const dimension = DIMENSIONS.find((d) => d.field === name)
    if (name === 'visibility' && (value === 'teaser' || value === 'hidden')) fields.visibility = value
    else if (dimension && (dimension.kind === 'anyOf' || dimension.kind === 'oneOf')) fields[name] = value.split(',').filter(Boolean)
    else if (dimension) fields[name] = value
    else fail(`unknown restricted-section field "${name}"`)
  }
  return fields
}

function pageBody(page: SeedPage, slugs: Set<string>, assets: Map<string, string>): Json[] {
  const source = readFileSync(join(here, 'source/pages', `${page.slug}.md`), 'utf8')
  // Stable keys, so rebuilding an unchanged page changes nothing.
  let next = 0
  const prefix = createHash('sha1').update(page.slug).digest('hex').slice(0, 4)
  const keyGenerator = () => `${prefix}${(next++).toString(36).padStart(3, '0')}`
  const fail = (message: string): never => {
    throw new Error(`pages/${page.slug}.md: ${message}`)
  }
  const convert = (markdown: string) =>
    markdownToPortableText(markdown, {
      schema: bodySchema,
      keyGenerator,
      onDegradation: ({ message }) => fail(message),
      marks: {
        // [text](doc:<slug>) is a reference to another doc; anything else must be an absolute URL.
        link: ({ context, value }) => {
          if (value.href.startsWith('doc:')) {
            const slug = value.href.slice('doc:'.length)
            if (!slugs.has(slug)) fail(`link to unknown doc "${slug}"`)
            return { _type: 'docLink', _key: context.keyGenerator(), reference: { _type: 'reference', _ref: `gatedPage.${slug}` } }
          }
          if (!/^(https?:|mailto:)/.test(value.href)) fail(`link "${value.href}" is neither doc:<slug> nor an absolute URL`)
          return { _type: 'link', _key: context.keyGenerator(), href: value.href }
        },
      },
      types: {
        // ```ts title="lib/example.ts"
        code: ({ context, value }) => {
          const [, language = '', title] = /^(\S*)(?:\s+title="([^"]+)")?\s*$/.exec(value.language ?? '') ?? fail(`code fence info "${value.language}"`)
          const canonical = codeLanguageOf(language) ?? fail(`code language "${language}" is not in lib/content/code-languages.ts`)
          return { _type: 'code', _key: context.keyGenerator(), language: canonical, ...(title ? { filename: title } : {}), code: value.code }
        },
        // ![alt](asset:<name> "caption")
        image: ({ context, value }) => {
          const name = value.src.replace(/^asset:/, '')
          const assetId = assets.get(name) ?? fail(`image "${value.src}" is not one of source/docs.ts IMAGES`)
          if (!value.alt) fail(`image "${name}" needs alt text`)
          const { hotspot } = IMAGES[name as keyof typeof IMAGES]
          return {
            _type: 'image',
            _key: context.keyGenerator(),
            asset: { _type: 'reference', _ref: assetId },
            ...(hotspot
              ? { hotspot: { _type: 'sanity.imageHotspot', ...hotspot }, crop: { _type: 'sanity.imageCrop', top: 0, bottom: 0, left: 0, right: 0 } }
              : {}),
            alt: value.alt,
            ...(value.title ? { caption: value.title } : {}),
          }
        },
        // > [!NOTE] … : the callout's text is plain paragraphs, not a quote inside a callout.
        callout: ({ context, value }) => ({
          _type: 'callout',
          _key: context.keyGenerator(),
          tone: value.tone,
          content: value.content.map((block) => ({ ...block, style: 'normal' })),
        }),
        table: ({ context, value }) => ({ _type: 'table', _key: context.keyGenerator(), headerRows: value.headerRows ?? 1, rows: value.rows }),
      },
    }) as Json[]

  // Split off restricted sections; everything else is the page's own Markdown.
  const blocks: Json[] = []
  let open: { fields: Json; lines: string[] } | null = null
  let plain: string[] = []
  const flush = () => {
    if (plain.join('').trim()) blocks.push(...convert(plain.join('\n')))
    plain = []
  }
  for (const line of source.split('\n')) {
    const opening = RESTRICTED_OPEN.exec(line)
    if (opening && !open) {
      flush()
      open = { fields: restrictedFields(opening[1] ?? '', fail), lines: [] }
    } else if (open && RESTRICTED_CLOSE.test(line)) {
      const text = open.lines.join('\n')
      if (!new RegExp(`GH-SECTION-${page.slug.toUpperCase()}-\\d+`).test(text))
        fail(`a restricted section needs its marker GH-SECTION-${page.slug.toUpperCase()}-<digits>`)
      blocks.push({ _type: 'restrictedBlock', _key: keyGenerator(), ...open.fields, content: convert(text) })
      open = null
    } else if (open) open.lines.push(line)
    else plain.push(line)
  }
  if (open) fail('a :::restricted section is not closed')
  flush()

  if (blocks.some((block) => block.style === 'h1')) fail('use ## for headings: the title is the only h1')
  const marker = new RegExp(`GH-MARKER-${page.slug.toUpperCase()}-\\d+`)
  if (!marker.test(JSON.stringify(blocks.filter((block) => block._type !== 'restrictedBlock')))) {
    fail(`needs its leak-test marker GH-MARKER-${page.slug.toUpperCase()}-<digits> in the text, outside restricted sections`)
  }
  return blocks
}

/** Lexicographic ranks in list order, as @sanity/orderable-document-list writes them. */
function ranks(count: number): string[] {
  const result: string[] = []
  let rank = LexoRank.min()
  for (let i = 0; i < count; i++) result.push((rank = rank.genNext().genNext()).toString())
  return result
}

export function buildSeed(): string {
  const access = readFileSync(join(here, 'source/access.ndjson'), 'utf8').trim().split('\n')
  const files = readdirSync(ASSETS_DIR).filter((file) => file.endsWith('.png'))
  const assetDocs = files.map(imageAsset)
  const assets = new Map(
    Object.entries(IMAGES).map(([name, image]) => {
      if (!files.includes(image.file)) throw new Error(`IMAGES.${name}: ${image.file} is not in assets/`)
      return [name, imageAsset(image.file)._id]
    }),
  )
  const slugs = new Set(PAGES.map((page) => page.slug))
  if (slugs.size !== PAGES.length) throw new Error('duplicate page slugs in source/docs.ts')
  const sectionRanks = ranks(SECTIONS.length)
  const sections = SECTIONS.map((section, i) => ({
    _id: `docSection.${section.slug}`,
    _type: 'docSection',
    title: section.title,
    slug: { _type: 'slug', current: section.slug },
    description: section.description,
    orderRank: sectionRanks[i],
  }))
  const pageRanks = ranks(PAGES.length)
  const pages = PAGES.map((page, i) => {
    if (!SECTIONS.some((s) => s.slug === page.section)) throw new Error(`${page.slug}: unknown section ${page.section}`)
    const parent = page.parent ? PAGES.find((p) => p.slug === page.parent) : undefined
    if (page.parent && (!parent || parent.section !== page.section || parent.parent))
      throw new Error(`${page.slug}: parent must be a top-level page of its section`)
    return {
      _id: `gatedPage.${page.slug}`,
      _type: 'gatedPage',
      _updatedAt: `${page.updatedAt}T09:00:00Z`,
      title: page.title,
      slug: { _type: 'slug', current: page.slug },
      section: { _type: 'reference', _ref: `docSection.${page.section}` },
      ...(page.parent ? { parent: { _type: 'reference', _ref: `gatedPage.${page.parent}` } } : {}),
      orderRank: pageRanks[i],
      excerpt: page.excerpt,
      ...page.access,
      visibility: page.visibility ?? 'teaser',
      ...(page.okta ? { okta: page.okta } : {}),
      body: pageBody(page, slugs, assets),
    }
  })
  const lines = [...access, ...[...sections, ...pages, ...assetDocs].map((doc) => JSON.stringify(doc))]
  return lines.join('\n') + '\n'
}

if (import.meta.main) {
  const built = buildSeed()
  if (process.argv.includes('--check')) {
    if (readFileSync(SEED_FILE, 'utf8') !== built) {
      console.error('sanity/seed/seed.ndjson is out of date: run npm run seed:build')
      process.exit(1)
    }
  } else {
    writeFileSync(SEED_FILE, built)
    console.log(`wrote ${SEED_FILE}`)
  }
}
