// A generated dataset at scale: the seed's access documents (roles, plans, members) plus 10,000 docs
// in 20 sections over 200 extra roles, a fifth of them hidden, one in ten nested. For the size and speed
// checks of the docs layout (bench/scale.ts, e2e/scale). Deterministic: the same file every time.
//
//   node bench/support/scaled-seed.ts <out.ndjson> [docs]
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '../..')
export const SCALE_DOCS = 10_000
export const SCALE_SECTIONS = 20
export const SCALE_ROLES = 200

const WORDS = ['routing', 'delivery', 'webhooks', 'tenants', 'exports', 'retries', 'schemas', 'filters', 'quotas', 'signing', 'replay', 'audit']

export function scaledSeed(docs = SCALE_DOCS): string {
  const access = readFileSync(join(root, 'sanity/seed/source/access.ndjson'), 'utf8').trim().split('\n')
  const lines = [...access]
  for (let r = 0; r < SCALE_ROLES; r++) {
    lines.push(JSON.stringify({ _id: `accessRole.scale-${r}`, _type: 'accessRole', key: `scale_${r}`, title: `Scale role ${r}` }))
  }
  const perSection = Math.ceil(docs / SCALE_SECTIONS)
  for (let s = 0; s < SCALE_SECTIONS; s++) {
    lines.push(
      JSON.stringify({
        _id: `docSection.scale-${s}`,
        _type: 'docSection',
        title: `Section ${s + 1}: ${WORDS[s % WORDS.length]}`,
        slug: { _type: 'slug', current: `scale-${s}` },
        description: `Generated section ${s + 1}.`,
        orderRank: `0|${String(s).padStart(6, '0')}:`,
      }),
    )
  }
  for (let i = 0; i < docs; i++) {
    const section = Math.floor(i / perSection)
    // A tenth are public, a tenth open to any signed-in reader; the rest need one of 200 roles, and a
    // quarter of those also accept partner_admin (alice's role), so she reads thousands and is locked
    // out of thousands more.
    const kind = i % 10
    const roles = kind <= 1 ? [] : [`scale_${i % SCALE_ROLES}`, ...(i % 4 === 0 ? ['partner_admin'] : [])]
    const word = WORDS[i % WORDS.length]!
    lines.push(
      JSON.stringify({
        _id: `gatedPage.scale-${i}`,
        _type: 'gatedPage',
        title: `Doc ${i}: ${word} in depth`,
        slug: { _type: 'slug', current: `scale-${i}` },
        section: { _type: 'reference', _ref: `docSection.scale-${section}` },
        ...(i % 10 === 9 ? { parent: { _type: 'reference', _ref: `gatedPage.scale-${i - 1}` } } : {}),
        orderRank: `0|${String(i).padStart(6, '0')}:`,
        excerpt: `How ${word} works for case ${i}.`,
        audience: kind === 0 ? 'public' : 'signedIn',
        ...(roles.length > 0 ? { requiredRoles: roles } : {}),
        visibility: roles.length > 0 && i % 5 === 2 ? 'hidden' : 'teaser',
        body: [
          { _type: 'block', _key: 'h', style: 'h2', markDefs: [], children: [{ _type: 'span', _key: 'h1', text: 'Overview', marks: [] }] },
          {
            _type: 'block',
            _key: 'p',
            style: 'normal',
            markDefs: [],
            children: [{ _type: 'span', _key: 'p1', text: `Generated body of doc ${i}.`, marks: [] }],
          },
        ],
      }),
    )
  }
  return lines.join('\n') + '\n'
}

if (import.meta.main) {
  const [out, count] = process.argv.slice(2)
  if (!out) throw new Error('usage: node bench/support/scaled-seed.ts <out.ndjson> [docs]')
  writeFileSync(out, scaledSeed(count ? Number(count) : SCALE_DOCS))
  console.log(`wrote ${out}`)
}
