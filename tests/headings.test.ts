import type { PortableTextBlock } from 'next-sanity'
import { describe, expect, it } from 'vitest'
import { headingsOf, slugify, tableOfContents } from '@/lib/content/headings'

const block = (key: string, style: string, text: string) =>
  ({ _type: 'block', _key: key, style, markDefs: [], children: [{ _type: 'span', _key: `${key}s`, text, marks: [] }] }) as PortableTextBlock

describe('heading anchors', () => {
  it('slugifies any script and gives repeats unique ids; never an id the layout uses', () => {
    expect(slugify('Rate limits & quotas')).toBe('rate-limits-quotas')
    expect(slugify('Überblick: Größe')).toBe('uberblick-große')
    expect(slugify('!!!')).toBe('section')
    const headings = headingsOf([
      block('a', 'h2', 'Setup'),
      block('b', 'h3', 'Setup'),
      block('c', 'normal', 'Setup'),
      block('d', 'h2', 'Main content'),
      block('e', 'h4', 'gh lock'),
      block('f', 'h2', '   '),
    ])
    expect(headings.map((h) => [h.key, h.id, h.level])).toEqual([
      ['a', 'setup', 2],
      ['b', 'setup-2', 3],
      ['d', 'main-content-2', 2],
      ['e', 'gh-lock-2', 4],
    ])
    expect(tableOfContents(headings).map((h) => h.key)).toEqual(['a', 'b', 'd'])
  })
})
