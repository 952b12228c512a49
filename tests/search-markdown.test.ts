// Search and Markdown over the seed, per reader: the search words are the reader's letters and digits,
// never GROQ; SEARCH_QUERY (run by searchDocs through groq-js, the local lake's engine) finds only
// what the access matrix lets a reader know of, matches a body only where the reader may read it and
// returns its text only then; Markdown renders exactly the body the reader's query returned, and
// hostile content cannot break out of a code fence, a link or a table cell.
import { evaluate, parse } from 'groq-js'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { pickGrants } from '@/lib/access/dimensions'
import type { Audience } from '@/lib/auth/dal'
import { accessParams } from '@/lib/content/access'
import { decideDocAccess } from '@/lib/content/decision'
import { docToMarkdown, teaserToMarkdown } from '@/lib/content/markdown'
import { DOC_BY_SLUG_QUERY, SEARCH_QUERY } from '@/lib/content/queries'
import { parseDoc, type Doc } from '@/lib/content/schema'
import { SEARCH_LIMIT, searchDocs, searchWords, snippetOf, type SearchResult, type SnippetPart } from '@/lib/content/search'
import { accessMatrix, expectedOutcome, expectedSection, loadSeed, readers, sectionMatrix, seedMarkers, type Reader, type SeedDoc } from './access-matrix'
import { leaksIn } from './leaks'
import { query, viewerOf } from './support/seed-readers'

const BASE = 'https://docs.example.test'

const mocked = vi.hoisted(() => ({
  dataset: [] as { _id: string; _type: string }[],
  fetches: [] as { query: string; params: Record<string, unknown>; rows: unknown }[],
  decisions: [] as unknown[],
}))
vi.mock('@/lib/config', () => ({
  getConfig: () => ({
    appBaseUrl: 'https://docs.example.test',
    session: { secret: 'search-markdown-test-secret-at-least-32-characters' },
    content: { projectId: 'local', dataset: 'production', imageBaseUrl: 'https://images.example.test' },
  }),
}))
vi.mock('@/lib/audit', () => ({
  recordDecision: (input: unknown) => void mocked.decisions.push(input),
  whoOf: (audience: { viewer: { subject: string } | null }) => ({ subject: audience.viewer?.subject ?? null, provider: null }),
}))
// The Sanity client, as the local lake runs it: groq-js over the dataset, with the query's parameters.
vi.mock('@/lib/content/client', () => ({
  sanityClient: () => ({
    fetch: async (groq: string, params: Record<string, unknown>) => {
      const rows = await (await evaluate(parse(groq, { params }), { dataset: mocked.dataset, params })).get()
      mocked.fetches.push({ query: groq, params, rows })
      return rows
    },
  }),
}))

const seed = loadSeed()
const slugs = Object.keys(accessMatrix)
const markers = seedMarkers()
const digitsOf = (marker: string) => /\d+$/.exec(marker)![0]

beforeEach(() => {
  mocked.dataset = seed
  mocked.fetches = []
  mocked.decisions = []
})

function audienceOf(reader: Reader): Audience {
  const viewer = viewerOf(reader)
  return { viewer, isEditor: false, preview: null, drafts: false, reader: viewer && pickGrants(viewer) }
}

type Row = { slug: string; readable: boolean; text?: string | null }

/** searchDocs for a reader, with the rows the query itself returned. */
async function search(reader: Reader, q: string): Promise<{ results: SearchResult[]; rows: Row[] }> {
  mocked.fetches = []
  const results = await searchDocs(audienceOf(reader), q)
  const rows = mocked.fetches.flatMap((f) => (f.query === SEARCH_QUERY ? (f.rows as Row[]) : []))
  return { results, rows }
}

/** What must hold of every search, whatever was asked. */
function expectAllowed(reader: Reader, q: string, results: SearchResult[], rows: Row[]): void {
  const what = `${reader} searching "${q}"`
  expect(results.length, what).toBeLessThanOrEqual(SEARCH_LIMIT)
  expect(
    results.map((r) => r.slug),
    what,
  ).toEqual(rows.map((r) => r.slug))
  for (const row of rows) {
    const outcome = expectedOutcome(row.slug, reader)
    expect(outcome, `${what}: ${row.slug} is hidden from them`).not.toBe('notFound')
    expect(row.readable, `${what}: ${row.slug}`).toBe(outcome === 'read')
    if (!row.readable) expect(row.text ?? null, `${what}: text of ${row.slug}`).toBeNull()
  }
  for (const result of results) {
    if (result.readable) expect(result.missing).toEqual([])
    else {
      expect(result.snippet, `${what}: snippet of ${result.slug}`).toBeNull()
      expect(result.missing.length, `${what}: what ${result.slug} needs`).toBeGreaterThan(0)
    }
  }
  // (leaksIn reads the seed on every call: one call for both, none when nothing came back.)
  if (rows.length > 0 || results.length > 0) expect(leaksIn(JSON.stringify({ rows, results }), reader), what).toEqual([])
}

const span = (text: string, marks: string[] = [], key = 's') => ({ _type: 'span', _key: key, text, marks })
const block = (children: unknown[], markDefs: unknown[] = [], key = 'b') => ({ _type: 'block', _key: key, style: 'normal', markDefs, children })
const hits = (parts: SnippetPart[] | null) => (parts ?? []).filter((p) => p.hit).map((p) => p.text)
const joined = (parts: SnippetPart[] | null) => (parts ?? []).map((p) => p.text).join('')

describe('searchWords: the reader’s words, never GROQ', () => {
  it('keeps letters, digits and inner joiners, lowercased', () => {
    expect(searchWords('Webhook Signatures')).toEqual(['webhook', 'signatures'])
    expect(searchWords('  rate-limits   v1.2 snake_case ')).toEqual(['rate-limits', 'v1.2', 'snake_case'])
    expect(searchWords('GH-MARKER-ERRORS-3239')).toEqual(['gh-marker-errors-3239'])
    expect(searchWords('café Straße 東京 مرحبا')).toEqual(['café', 'straße', '東京', 'مرحبا'])
  })

  it('drops GROQ operators, wildcards, quotes, brackets and parameters', () => {
    expect(searchWords('*')).toBeNull()
    expect(searchWords('foo*')).toEqual(['foo'])
    expect(searchWords('"a" || true || "b"')).toEqual(['a', 'true', 'b'])
    expect(searchWords('*[_type == "gatedPage"]{body}')).toEqual(['type', 'gatedpage', 'body'])
    expect(searchWords('] | order(_score) ^ 2')).toEqual(['order', 'score', '2'])
    expect(searchWords('$signedIn $requiredRoles')).toEqual(['signedin', 'requiredroles'])
    expect(searchWords('a\\"b')).toEqual(['a', 'b'])
    expect(searchWords("it's")).toEqual(['it', 's'])
  })

  it('splits on control and formatting characters: NUL, the RTL override, zero-width space', () => {
    expect(searchWords('abc\u0000def')).toEqual(['abc', 'def'])
    expect(searchWords('\u202Eadmin\u202C')).toEqual(['admin'])
    expect(searchWords('ad\u202Emin')).toEqual(['ad', 'min'])
    expect(searchWords('ad\u200Bmin')).toEqual(['ad', 'min'])
    expect(searchWords('\u0000\u202E\u200B')).toBeNull()
  })

  it('normalises compatibility forms (NFKC): full-width letters and wildcards, ligatures', () => {
    expect(searchWords('ＧＲＯＱ　Ｒｕｌｅｓ')).toEqual(['groq', 'rules'])
    expect(searchWords('ｆｏｏ＊')).toEqual(['foo'])
    expect(searchWords('＄ｓｉｇｎｅｄＩｎ')).toEqual(['signedin'])
    expect(searchWords('ﬁle')).toEqual(['file'])
    expect(searchWords('cafe\u0301')).toEqual(['café'])
  })

  it('keeps combining marks inside a word (scripts that need them are searchable)', () => {
    expect(searchWords('हिन्दी')).toEqual(['हिन्दी'])
    expect(searchWords('ภาษาไทย')).toEqual(['ภาษาไทย'])
  })

  it('at most 100 characters and 8 words, and nothing searchable is null', () => {
    expect(searchWords('a'.repeat(5000))).toEqual(['a'.repeat(100)])
    expect(searchWords('word '.repeat(1000))).toEqual(Array(8).fill('word'))
    expect(searchWords('one two three four five six seven eight nine ten')).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'])
    expect(searchWords(`${'*'.repeat(100)}secret`)).toBeNull()
    // A cut through a surrogate pair leaves no half of it behind.
    expect(searchWords(`${'a'.repeat(99)}😀`)).toEqual(['a'.repeat(99)])
    for (const nothing of ['', '   ', '!@#$%^&*()', '...', '-_-', '._.', '"*"', '[]{}|^$', '＊＊']) expect(searchWords(nothing), nothing).toBeNull()
  })

  it('whatever comes in, each word starts and ends with a letter or digit and holds only those and joiners', () => {
    const hostile = [
      '*',
      '" || true || "',
      '$slug',
      'a]b[c',
      '\u0000x\u202Ey',
      'x'.repeat(5000),
      '.-_a_-.',
      'ﬀ*ﬁ',
      '\uD800lone\uDFFFsurrogates',
      'Ｓｅｃｒｅｔ＂',
      'tab\tnew\nline\rreturn',
      '<script>alert(1)</script>',
    ]
    for (const input of hostile) {
      const words = searchWords(input) ?? []
      expect(words.length, input).toBeLessThanOrEqual(8)
      expect(words.join('').length, input).toBeLessThanOrEqual(100)
      for (const word of words) {
        expect(word, input).toMatch(/^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}_.-]*[\p{L}\p{M}\p{N}])?$/u)
        expect(word.isWellFormed(), input).toBe(true)
        expect(word, input).toBe(word.toLowerCase())
      }
    }
  })
})

describe('snippetOf: the text around the first match, every occurrence marked', () => {
  it('marks every occurrence of every word, whatever its case', () => {
    const parts = snippetOf('Events are delivered. EVENTS retry; an event is signed.', ['event', 'signed'])
    expect(joined(parts)).toBe('Events are delivered. EVENTS retry; an event is signed.')
    expect(hits(parts)).toEqual(['Event', 'EVENT', 'event', 'signed'])
    expect(parts!.filter((p) => !p.hit).some((p) => /event|signed/i.test(p.text))).toBe(false)
  })

  it('marks the longest word where one word starts another', () => {
    expect(hits(snippetOf('event events eventual', ['event', 'events']))).toEqual(['event', 'events', 'event'])
  })

  it('regular-expression metacharacters in words match literally', () => {
    const text = 'v1.2 is not v102; a+b and (x) and [y] and a|b and ^$ and \\d'
    expect(hits(snippetOf(text, ['v1.2']))).toEqual(['v1.2'])
    expect(hits(snippetOf(text, ['a+b', '(x)', '[y]']))).toEqual(['a+b', '(x)', '[y]'])
    expect(hits(snippetOf(text, ['a|b']))).toEqual(['a|b'])
    expect(hits(snippetOf(text, ['^$', '\\d']))).toEqual(['^$', '\\d'])
    expect(hits(snippetOf('aaaa', ['.*']))).toEqual([])
    expect(joined(snippetOf(text, ['.*', '(', '[']))).toBe(text)
  })

  it('flattens whitespace and keeps short texts whole, without ellipses', () => {
    const parts = snippetOf('  one\n\ntwo\tthree  ', ['two'])
    expect(parts).toEqual([
      { text: 'one ', hit: false },
      { text: 'two', hit: true },
      { text: ' three', hit: false },
    ])
  })

  it('a window of 90 characters before the first match and 180 from it, with ellipses where cut', () => {
    const text = `${'a '.repeat(200)}needle${' b'.repeat(200)}`
    const at = text.indexOf('needle')
    const parts = snippetOf(text, ['needle'])!
    const window = joined(parts)
    expect(window).toBe(`…${text.slice(at - 90, at + 180)}…`)
    expect(hits(parts)).toEqual(['needle'])
    // A match near the start: no leading ellipsis; near the end: no trailing one.
    expect(joined(snippetOf(`needle${' b'.repeat(200)}`, ['needle']))).toMatch(/^needle .*…$/)
    expect(joined(snippetOf(`${'a '.repeat(200)}needle`, ['needle']))).toMatch(/^….* needle$/)
  })

  it('the window centres on the earliest match of any word; no match shows the start', () => {
    const text = `${'x '.repeat(100)}late ${'y '.repeat(100)}early`
    expect(joined(snippetOf(text, ['early', 'late'])).startsWith('…')).toBe(true)
    expect(hits(snippetOf(text, ['early', 'late']))[0]).toBe('late')
    const none = snippetOf(text, ['absent'])!
    expect(hits(none)).toEqual([])
    expect(joined(none)).toBe(`${text.slice(0, 180)}…`)
  })

  it('empty or blank text is null', () => {
    expect(snippetOf('', ['a'])).toBeNull()
    expect(snippetOf(' \n\t ', ['a'])).toBeNull()
  })

  it('markup in the text stays text', () => {
    const parts = snippetOf('<img src=x onerror=alert(1)> token', ['token'])
    expect(joined(parts)).toBe('<img src=x onerror=alert(1)> token')
    expect(parts!.every((p) => typeof p.text === 'string')).toBe(true)
  })
})

describe('searchDocs: words become parameters, never query text', () => {
  it('terms are the words with the last as a prefix, and the limit is SEARCH_LIMIT', async () => {
    await search('alice', 'Webhook SIGNA')
    expect(mocked.fetches).toHaveLength(1)
    expect(mocked.fetches[0]!.query).toBe(SEARCH_QUERY)
    expect(mocked.fetches[0]!.params).toEqual({ ...accessParams(audienceOf('alice').reader), terms: 'webhook signa*', limit: SEARCH_LIMIT })
  })

  it('nothing searchable asks nothing', async () => {
    for (const q of ['', '*', '" "', '$', '\u0000']) {
      expect(await searchDocs(audienceOf('carol'), q)).toEqual([])
    }
    expect(mocked.fetches).toEqual([])
  })

  it('hostile queries are only words: GROQ in them changes nothing the reader may see', async () => {
    for (const q of ['*', '" || true || "', '$signedIn', '*[_type == "gatedPage"]', 'gh-marker*', ')) || ((', 'ＧＨ－ＭＡＲＫＥＲ', 'a'.repeat(5000)]) {
      const { results, rows } = await search('mallory', q)
      expectAllowed('mallory', q, results, rows)
    }
  })

  it('the audit event holds a hash of the query, never its words', async () => {
    await search('bob', 'Secret Launch Plans')
    expect(mocked.decisions).toHaveLength(1)
    expect(JSON.stringify(mocked.decisions[0])).not.toMatch(/secret|launch|plans/i)
    expect(mocked.decisions[0]).toMatchObject({ decision: 'search', via: 'search', what: { queryHash: expect.stringMatching(/^[0-9a-f]{32}$/) } })
  })
})

const pages = seed.filter((d) => d._type === 'gatedPage')
const sections = seed.filter((d) => d._type === 'docSection')
const slugOf = (doc: SeedDoc) => (doc.slug as { current: string }).current
/**
 * The seed cut down to one page (and the sections it may name). Each doc is filtered, scored and
 * projected on its own, so for words that occur in no other doc this answers exactly as the whole seed
 * does, at a fraction of groq-js's time; the whole seed is searched below for words many docs share.
 */
const alone = (slug: string): SeedDoc[] => [...sections, pages.find((d) => slugOf(d) === slug)!]

describe('the seed’s marker digits are unique', () => {
  it('each doc’s and each section’s digits occur exactly once in the whole seed (keys aside)', () => {
    const text = JSON.stringify(seed, (key, value: unknown) => (key === '_key' ? undefined : value))
    for (const marker of [...Object.values(markers), ...Object.keys(sectionMatrix)]) {
      const digits = digitsOf(marker)
      expect(text.match(new RegExp(`(?<![0-9])${digits}(?![0-9])`, 'g')), marker).toHaveLength(1)
    }
  })
})

for (const reader of readers) {
  describe(`search for ${reader}`, () => {
    it('a doc’s marker digits find it exactly when the reader may read it', async () => {
      for (const slug of slugs) {
        const digits = digitsOf(markers[slug]!)
        mocked.dataset = alone(slug)
        const { results, rows } = await search(reader, digits)
        expectAllowed(reader, digits, results, rows)
        if (expectedOutcome(slug, reader) === 'read') {
          expect(
            results.map((r) => r.slug),
            `${reader} finds ${slug} by ${digits}`,
          ).toEqual([slug])
          expect(results[0]!.readable).toBe(true)
          expect(hits(results[0]!.snippet), `${slug}'s snippet marks ${digits}`).toContain(digits)
          expect(joined(results[0]!.snippet)).toContain(markers[slug])
        } else {
          expect(results, `${reader} finds nothing of ${slug} by ${digits}`).toEqual([])
        }
      }
    })

    it('a restricted section’s digits find its page only when the reader may see the section', async () => {
      for (const [marker, { page }] of Object.entries(sectionMatrix)) {
        const digits = digitsOf(marker)
        mocked.dataset = alone(page)
        const { results, rows } = await search(reader, digits)
        expectAllowed(reader, digits, results, rows)
        if (expectedSection(marker, reader) === 'S') {
          expect(
            results.map((r) => r.slug),
            `${reader} finds ${page} by its section's ${digits}`,
          ).toEqual([page])
          expect(joined(results[0]!.snippet)).toContain(marker)
        } else {
          expect(results, `${reader} finds nothing by ${marker}`).toEqual([])
        }
      }
    })

    it('a title finds a locked doc as a teaser (no snippet, what is missing) and a hidden one never', async () => {
      // Readable docs are found above; here the docs the reader cannot read.
      for (const slug of slugs.filter((s) => expectedOutcome(s, reader) !== 'read')) {
        const title = String(pages.find((d) => slugOf(d) === slug)!.title)
        mocked.dataset = alone(slug)
        const { results, rows } = await search(reader, title)
        expectAllowed(reader, title, results, rows)
        const outcome = expectedOutcome(slug, reader)
        if (outcome === 'notFound') expect(results, `${reader} searching "${title}"`).toEqual([])
        else expect(results, `${reader} searching "${title}"`).toMatchObject([{ slug, title, readable: false, snippet: null }])
      }
    })

    it('over the whole seed, the markers find every doc the reader may read and nothing else', async () => {
      const { results, rows } = await search(reader, 'GH-MARKER')
      expectAllowed(reader, 'GH-MARKER', results, rows)
      const readable = slugs.filter((s) => expectedOutcome(s, reader) === 'read')
      expect(results).toHaveLength(Math.min(SEARCH_LIMIT, readable.length))
      // The same query and parameters without the limit: exactly the docs they may read.
      const params = { ...mocked.fetches[0]!.params, limit: 100 }
      const all = (await query(seed, SEARCH_QUERY, params)) as Row[]
      expect(all.map((r) => r.slug).sort()).toEqual(readable.sort())
      expect(leaksIn(JSON.stringify(all), reader)).toEqual([])
      for (const row of all) expect(row.text, row.slug).toContain(markers[row.slug])
    })

    it('a body they cannot read neither matches nor orders results; one they can read does', async () => {
      // "api" is in titles of readable, locked and hidden docs alike.
      mocked.dataset = seed
      const before = await search(reader, 'api')
      expectAllowed(reader, 'api', before.results, before.rows)
      expect(before.results.length).toBeGreaterThan(0)
      const stuffing = (doc: SeedDoc): SeedDoc =>
        doc._type === 'gatedPage' && expectedOutcome(slugOf(doc), reader) !== 'read'
          ? { ...doc, body: [...(doc.body as unknown[]), block([span('api zebraword '.repeat(200))], [], 'stuffed')] }
          : doc
      mocked.dataset = seed.map(stuffing)
      expect((await search(reader, 'api')).results, 'stuffed with api').toEqual(before.results)
      expect((await search(reader, 'zebraword')).results, 'stuffed with zebraword').toEqual([])
    })
  })
}

describe('search matches a body only where it may be read: the check can fail', () => {
  it('stuffing a doc the reader may read finds it', async () => {
    mocked.dataset = [
      ...sections,
      ...pages.map((doc) => (slugOf(doc) === 'glossary' ? { ...doc, body: [...(doc.body as unknown[]), block([span('zebraword')], [], 'z')] } : doc)),
    ]
    const { results } = await search('anon', 'zebraword')
    expect(results.map((r) => r.slug)).toEqual(['glossary'])
    expect(hits(results[0]!.snippet)).toEqual(['zebraword'])
  })

  it('malformed members (API writes) do not hide the rest of a body from search', async () => {
    const broken = [
      { _type: 'table', _key: 't' }, // no rows
      { _type: 'callout', _key: 'c', tone: 'note' }, // no content
      { _type: 'code', _key: 'k' }, // no code
      { _type: 'restrictedBlock', _key: 'r', audience: 'public' }, // no content
      { _type: 'restrictedBlock', _key: 'q', audience: 'public', content: [{ _type: 'code', _key: 'qc', code: 'okapiword()' }] },
    ]
    mocked.dataset = [
      ...sections,
      ...pages.map((doc) => (slugOf(doc) === 'glossary' ? { ...doc, body: [...broken, block([span('yakword')], [], 'y'), ...(doc.body as unknown[])] } : doc)),
    ]
    expect((await search('anon', 'yakword')).results.map((r) => r.slug)).toEqual(['glossary'])
    expect((await search('anon', 'okapiword')).results.map((r) => r.slug)).toEqual(['glossary'])
  })

  it('a word with combining marks finds its doc', async () => {
    mocked.dataset = [...sections, { ...pages.find((d) => slugOf(d) === 'glossary')!, title: 'हिन्दी शब्दकोश' }]
    const { results } = await search('anon', 'हिन्दी')
    expect(results.map((r) => r.slug)).toEqual(['glossary'])
  })
})

// ---------------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------------

/** A doc as readDoc gets it: DOC_BY_SLUG_QUERY over the seed for this reader, parsed. */
async function docFor(reader: Reader, slug: string, dataset: SeedDoc[] = seed): Promise<Doc | null> {
  return parseDoc(await query(dataset, DOC_BY_SLUG_QUERY, { ...accessParams(viewerOf(reader) && pickGrants(viewerOf(reader)!)), slug }))
}

const ALL_TRUE = { audience: true, role: true, tenant: true, plan: true, region: true }

/** A readable doc with a hand-made body, as the query would return it. */
function handMade(body: unknown[], fields: Record<string, unknown> = {}): Doc {
  const doc = parseDoc({
    _id: 'gatedPage.hostile',
    title: 'Hostile',
    slug: 'hostile',
    excerpt: null,
    requirements: { audience: ['public'], role: [], tenant: [], plan: [], region: [] },
    updatedAt: null,
    readable: true,
    public: true,
    access: ALL_TRUE,
    body,
    ...fields,
  })
  if (!doc) throw new Error('hand-made doc does not parse')
  return doc
}

/** Fenced code blocks of a Markdown text: [fence, info, content]. */
function fences(markdown: string): { fence: string; info: string; content: string }[] {
  const found: { fence: string; info: string; content: string }[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})([^`]*)$/.exec(lines[i]!)
    if (!open) continue
    const close = lines.findIndex((line, j) => j > i && new RegExp(`^${open[1]}\`*\\s*$`).test(line))
    found.push({ fence: open[1]!, info: open[2]!, content: lines.slice(i + 1, close === -1 ? undefined : close).join('\n') })
    if (close === -1) break
    i = close
  }
  return found
}

describe('Markdown of the seed, per reader', () => {
  for (const reader of readers) {
    it(`${reader}: every readable doc has its marker, the sections they may see and nothing else`, async () => {
      const rendered: string[] = []
      for (const slug of slugs.filter((s) => expectedOutcome(s, reader) === 'read')) {
        const doc = await docFor(reader, slug)
        const decision = decideDocAccess(doc, reader !== 'anon')
        expect(decision.kind, slug).toBe('read')
        const markdown = docToMarkdown(doc!, BASE)
        expect(markdown, slug).toContain(markers[slug])
        expect(markdown.startsWith(`# ${doc!.title}\n`)).toBe(true)
        rendered.push(markdown)
        for (const [marker, { page }] of Object.entries(sectionMatrix)) {
          if (page !== slug) continue
          const section = expectedSection(marker, reader)
          expect(markdown.includes(marker), `${marker} for ${reader}`).toBe(section === 'S')
          expect(markdown.includes('(A section of this page is locked for you.'), `${marker} teaser line for ${reader}`).toBe(section === 'T')
        }
        // Every link in it is to this site's Markdown, a web page, or mail — never a script.
        for (const [, href] of markdown.matchAll(/\]\(([^)\s]*)\)/g)) expect(href, slug).toMatch(/^(https?:\/\/|mailto:)/)
      }
      // Nothing of a doc they cannot read or a section they may not see (leaksIn names the doc).
      expect(leaksIn(rendered.join('\n'), reader)).toEqual([])
    })

    it(`${reader}: a refused doc's teaser says what is missing and nothing of the body`, async () => {
      const rendered: string[] = []
      for (const slug of slugs.filter((s) => expectedOutcome(s, reader) === 'forbidden')) {
        const decision = decideDocAccess(await docFor(reader, slug), true)
        if (decision.kind !== 'forbidden') throw new Error(`${slug} is not forbidden for ${reader}`)
        const markdown = teaserToMarkdown(decision.doc, decision.missing, BASE)
        expect(markdown).toContain(`# ${decision.doc.title} (locked)`)
        expect(markdown).toContain(`Teaser: ${BASE}/docs/${slug}\n`)
        expect(markdown).toMatch(/You cannot read this document: \S/)
        expect(markdown).not.toContain(markers[slug])
        rendered.push(markdown)
      }
      expect(leaksIn(rendered.join('\n'), reader)).toEqual([])
    })
  }

  it('a restricted block nested where the schema allows none (callout, table cell; API writes) never leaves the query', async () => {
    const section = { _id: 'docSection.s', _type: 'docSection', title: 'S', slug: { current: 's' } }
    const hidden = (n: number) => ({
      _type: 'restrictedBlock',
      _key: `r${n}`,
      requiredRoles: ['customer_admin'],
      visibility: 'hidden',
      content: [{ _type: 'block', _key: `s${n}`, children: [{ _type: 'span', _key: `t${n}`, text: `TOPSECRET-NESTED-${n}` }] }],
    })
    const text = (key: string) => ({
      _type: 'block',
      _key: key,
      style: 'normal',
      markDefs: [],
      children: [{ _type: 'span', _key: `${key}s`, text: 'Visible.' }],
    })
    const doc: SeedDoc = {
      _id: 'gatedPage.nested',
      _type: 'gatedPage',
      title: 'Nested',
      slug: { _type: 'slug', current: 'nested' },
      audience: 'public',
      section: { _type: 'reference', _ref: 'docSection.s' },
      body: [
        { _type: 'callout', _key: 'c', tone: 'note', content: [text('c1'), hidden(1)] },
        { _type: 'table', _key: 't', rows: [{ _key: 'r', cells: [{ _key: 'x', value: [text('x1'), hidden(2)] }] }] },
      ],
    }
    for (const reader of ['anon', 'mallory'] as const) {
      const result = await docFor(reader, 'nested', [section, doc])
      expect(JSON.stringify(result)).not.toContain('TOPSECRET')
      const markdown = docToMarkdown(result!, BASE)
      expect(markdown).toContain('Visible.')
      expect(markdown).not.toContain('TOPSECRET')
      expect(markdown).not.toContain('json')
    }
    // Whatever reaches the renderer, a type it does not know is left out, not dumped as JSON.
    const raw = docToMarkdown(handMade([{ _type: 'mystery', _key: 'm', secret: 'TOPSECRET-RAW' }]), BASE)
    expect(raw).not.toContain('TOPSECRET')
  })

  it('doc links render per target: a link to its Markdown, "(locked: …)", or plain text with no hidden slug', async () => {
    // mallory's readable docs link to docs of all three kinds (tests/docs-site.test.ts).
    const seen = new Set<string>()
    for (const slug of slugs.filter((s) => expectedOutcome(s, 'mallory') === 'read')) {
      const doc = (await docFor('mallory', slug))!
      const markdown = docToMarkdown(doc, BASE)
      for (const [, target] of markdown.matchAll(/\]\(https:\/\/docs\.example\.test\/docs\/([a-z0-9-]+)\.md\)/g)) {
        expect(expectedOutcome(target!, 'mallory'), `${slug} links to ${target}`).toBe('read')
        seen.add('read')
      }
      for (const [, target] of markdown.matchAll(/\(locked: https:\/\/docs\.example\.test\/docs\/([a-z0-9-]+)\)/g)) {
        expect(['forbidden', 'signIn'], `${slug} links locked to ${target}`).toContain(expectedOutcome(target!, 'mallory'))
        seen.add('locked')
      }
      for (const hidden of slugs.filter((s) => expectedOutcome(s, 'mallory') === 'notFound')) {
        expect(markdown, `${slug} names hidden ${hidden}`).not.toContain(`/docs/${hidden}`)
      }
    }
    expect([...seen].sort()).toEqual(['locked', 'read'])
  })

  it('doc link states, by hand: read, locked, hidden, missing, and a slug that is not one', () => {
    const link = (key: string, target: unknown) => ({ _type: 'docLink', _key: key, target })
    const markdown = docToMarkdown(
      handMade([
        block(
          [
            span('Read me', ['r'], '1'),
            span(' · ', [], '2'),
            span('Locked one', ['l'], '3'),
            span(' · ', [], '4'),
            span('Hidden one', ['h'], '5'),
            span(' · ', [], '6'),
          ],
          [link('r', { state: 'read', slug: 'quickstart' }), link('l', { state: 'locked', slug: 'admin-guide' }), link('h', { state: 'hidden', slug: null })],
          'a',
        ),
        block(
          [span('Missing', ['m'], '1'), span(' · ', [], '2'), span('Null', ['n'], '3'), span(' · ', [], '4'), span('Evil', ['e'], '5')],
          [link('m', { state: 'missing', slug: null }), link('n', null), link('e', { state: 'read', slug: 'javascript:alert(1)' })],
          'b',
        ),
        block([span('Lying hidden', ['x'])], [link('x', { state: 'hidden', slug: 'secret-launch' })], 'c'),
      ]),
      BASE,
    )
    expect(markdown).toContain(`[Read me](${BASE}/docs/quickstart.md)`)
    expect(markdown).toContain(`Locked one (locked: ${BASE}/docs/admin-guide)`)
    expect(markdown).toMatch(/· Hidden one ·/)
    expect(markdown).toContain('Missing · Null · Evil')
    expect(markdown).toContain('Lying hidden')
    expect(markdown).not.toContain('secret-launch')
    expect(markdown).not.toContain('javascript:')
    expect(markdown).not.toMatch(/\[(Hidden one|Missing|Null|Evil|Lying hidden)\]/)
  })
})

describe('Markdown of hostile bodies', () => {
  it('code containing fences cannot close its own fence', () => {
    const code = 'before\n```\n# escaped heading\n[x](javascript:alert(1))\n````\nafter'
    const markdown = docToMarkdown(
      handMade([{ _type: 'code', _key: 'c', code, language: 'js`\nevil', filename: 'a"b\nc`d`.ts' }, block([span('After the code.')], [], 'p')]),
      BASE,
    )
    const [only, ...rest] = fences(markdown)
    expect(rest).toEqual([])
    expect(only!.fence.length).toBeGreaterThan(4)
    expect(only!.content).toBe(code)
    // The info string carries no backtick (or it would not open a fence at all) and no line break.
    expect(only!.info).toBe('jsevil title="abcd.ts"')
    expect(markdown.split(only!.fence)[2]).toContain('After the code.')
  })

  it('code with no backticks gets a three-backtick fence; odd values are dropped', () => {
    const markdown = docToMarkdown(handMade([{ _type: 'code', _key: 'c', code: 'let x = 1', language: 42, filename: ['x'] }]), BASE)
    expect(markdown).toContain('```\nlet x = 1\n```')
  })

  it('a link renders only for http(s) and mailto; anything else is its text', () => {
    const links = [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>',
      'vbscript:x',
      '//evil.example',
      '/relative',
      '',
      null,
    ]
    const body = links.map((href, i) => block([span(`text${i}`, ['l'])], [{ _type: 'link', _key: 'l', href }], `b${i}`))
    const markdown = docToMarkdown(handMade(body), BASE)
    for (let i = 0; i < links.length; i++) expect(markdown).toContain(`text${i}`)
    expect(markdown).not.toMatch(/\]\(/)
    expect(markdown).not.toMatch(/javascript|data:|vbscript|evil\.example/i)
  })

  it('a safe link stays one link: its href cannot close it and open another', () => {
    const hostile = [
      'https://ok.example/)[click](javascript:alert(1)',
      'https://ok.example/ "title" )(javascript:x',
      'https://ok.example/<x>\n\n# heading',
      'mailto:a@b.example)(javascript:x',
    ]
    const body = [
      block([span('plain', ['l'])], [{ _type: 'link', _key: 'l', href: 'https://example.com/a?b=c#d' }], 'ok'),
      block([span('text](javascript:alert(1))', ['l'])], [{ _type: 'link', _key: 'l', href: 'https://ok.example/' }], 'label'),
      ...hostile.map((href, i) => block([span(`click${i}`, ['l'])], [{ _type: 'link', _key: 'l', href }], `h${i}`)),
    ]
    const markdown = docToMarkdown(handMade(body), BASE)
    expect(markdown).toContain('[plain](https://example.com/a?b=c#d)')
    // One destination per link, running to its closing parenthesis with no whitespace, parenthesis,
    // angle bracket, quote, backslash or backtick inside (an escaped \] in a link's text is no link).
    const destinations = [...markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]!)
    expect(destinations).toHaveLength(2 + hostile.length)
    for (const href of destinations) expect(href).toMatch(/^(https?:\/\/|mailto:)[^\s()<>"\\`]*$/)
    expect(markdown).toContain('[click0](https://ok.example/%29[click]%28javascript:alert%281%29)')
    expect(markdown).not.toMatch(/(?<!\\)\]\(javascript:/i)
    expect(markdown).not.toMatch(/^# heading/m)
  })

  it('a restricted section the reader may not see is one line and no content; a shown one is its content', () => {
    const requirements = { audience: ['signedIn'], role: ['partner_admin'], tenant: [], plan: [], region: [] }
    const markdown = docToMarkdown(
      handMade([
        block([span('Before.')], [], 'p1'),
        { _type: 'restrictedBlock', _key: 'locked', readable: false, requirements, access: { ...ALL_TRUE, role: false } },
        // A teaser block that somehow came with content: still one line.
        {
          _type: 'restrictedBlock',
          _key: 'odd',
          readable: false,
          requirements,
          access: { ...ALL_TRUE, role: false },
          content: [block([span('LEAKED CONTENT')])],
        },
        { _type: 'restrictedBlock', _key: 'malformed', readable: 'yes', content: [block([span('ALSO LEAKED')])] },
        { _type: 'restrictedBlock', _key: 'shown', readable: true, requirements, content: [block([span('Shown content.')], [], 'in')] },
        block([span('After.')], [], 'p2'),
      ]),
      BASE,
    )
    expect(markdown).not.toMatch(/LEAKED/)
    const notes = markdown.split('\n').filter((line) => line.includes('A section of this page is locked for you.'))
    expect(notes).toHaveLength(3)
    expect(notes[0]).toMatch(
      /^_\(A section of this page is locked for you\. .*partner_admin.*\)_$|^\*\(A section of this page is locked for you\. .*partner_admin.*\)\*$/,
    )
    expect(notes[2]).toMatch(/locked for you\.\)[_*]$/)
    expect(markdown).toContain('Shown content.')
    expect(markdown.indexOf('Before.')).toBeLessThan(markdown.indexOf('Shown content.'))
    expect(markdown.indexOf('Shown content.')).toBeLessThan(markdown.indexOf('After.'))
  })

  it('an image without alt text (or asset) is dropped; one with alt renders with its caption', () => {
    const asset = { _ref: 'image-0123456789abcdef0123456789abcdef01234567-800x600-png' }
    const markdown = docToMarkdown(
      handMade([
        { _type: 'image', _key: 'noalt', asset: { _ref: 'image-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-10x10-png' } },
        { _type: 'image', _key: 'blank', asset: { _ref: 'image-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-10x10-png' }, alt: '   ' },
        { _type: 'image', _key: 'noasset', alt: 'No asset' },
        { _type: 'image', _key: 'badref', asset: { _ref: 'javascript:alert(1)' }, alt: 'Bad ref' },
        { _type: 'image', _key: 'ok', asset, alt: 'A [bracketed] diagram', caption: 'The caption' },
      ]),
      BASE,
    )
    expect(markdown).not.toMatch(/aaaaaaaa|bbbbbbbb|No asset|Bad ref|javascript/)
    expect(markdown).toMatch(
      /!\[A bracketed diagram\]\(https:\/\/images\.example\.test\/images\/local\/production\/0123456789abcdef0123456789abcdef01234567-800x600\.png\)/,
    )
    expect(markdown).toContain('*The caption*')
  })

  it('table cells escape pipes and keep one row per line', () => {
    const cell = (text: string, key: string) => ({ _type: 'cell', _key: key, value: [block([span(text)], [], `${key}b`)] })
    const markdown = docToMarkdown(
      handMade([
        {
          _type: 'table',
          _key: 't',
          headerRows: 1,
          rows: [
            { _type: 'row', _key: 'r1', cells: [cell('Name', 'a'), cell('Value', 'b')] },
            { _type: 'row', _key: 'r2', cells: [cell('a | b', 'c'), cell('x\n\ny', 'd')] },
            { _type: 'row', _key: 'r3', cells: [cell('back\\|slash', 'e'), cell('||', 'f')] },
          ],
        },
      ]),
      BASE,
    )
    const lines = markdown.split('\n').filter((line) => line.startsWith('|'))
    expect(lines.map((line) => line.replace(/\s+/g, ' '))).toEqual(['| Name | Value |', '| --- | --- |', '| a \\| b | x y |', '| back\\\\\\|slash | \\|\\| |'])
    // Unescaped pipes are exactly the cell borders.
    for (const line of lines) expect(line.replace(/\\\\/g, '').match(/(?<!\\)\|/g)).toHaveLength(3)
  })

  it('a callout’s tone is one of the known tones; its content stays quoted', () => {
    const markdown = docToMarkdown(
      handMade([
        { _type: 'callout', _key: 'c1', tone: 'warning', content: [block([span('Careful.')])] },
        { _type: 'callout', _key: 'c2', tone: 'note]\n\n# Injected heading', content: [block([span('Quoted.')])] },
      ]),
      BASE,
    )
    expect(markdown).toContain('> [!WARNING]\n> Careful.')
    expect(markdown).toContain('> [!NOTE]\n> Quoted.')
    expect(markdown).not.toMatch(/^# Injected/m)
  })

  it('a title, an excerpt and a caption are text on one line, in the doc and in its teaser', () => {
    const fields = { title: '[Title](javascript:alert(1))\n# Injected', excerpt: 'Line one\n\n# Injected heading [x](javascript:y)' }
    const caption = '*[x](javascript:alert(1))*\n\n# Injected'
    const image = { _type: 'image', _key: 'i', asset: { _ref: 'image-0123456789abcdef0123456789abcdef01234567-800x600-png' }, alt: 'Alt\n\n# text\\', caption }
    const doc = handMade([image], fields)
    const teaser = teaserToMarkdown({ ...doc, readable: false, body: null }, [{ dimension: 'role', required: ['partner_admin'] }], BASE)
    for (const markdown of [docToMarkdown(doc, BASE), teaser]) {
      expect(markdown).not.toMatch(/^#+ Injected/m)
      expect(markdown).not.toMatch(/(?<!\\)\]\(javascript/)
      expect(markdown.split('\n')[0]).toMatch(/^# \S.*Title.*Injected/)
      expect(markdown).toMatch(/^> Line one .*Injected heading/m)
    }
    const markdown = docToMarkdown(doc, BASE)
    expect(markdown).toMatch(/^!\[Alt # text\]\(https:/m)
    expect(markdown).toMatch(/^\*.*Injected\*$/m)
    expect(teaser).toContain('Requires one of these roles: partner_admin.')
  })

  it('text that looks like Markdown stays text', () => {
    const markdown = docToMarkdown(handMade([block([span('# not a heading <script>alert(1)</script> [x](javascript:y)')])]), BASE)
    expect(markdown).not.toMatch(/^# not/m)
    expect(markdown).not.toMatch(/(?<!\\)\]\(javascript/)
  })
})
