// The access matrix the seed data must produce (issue #2). Shared by the unit tests (groq-js over the
// seed) and the e2e tests (HTTP through the running app).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export type Outcome = 'read' | 'forbidden' | 'notFound' | 'signIn'
export type Reader = 'anon' | 'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'mallory'

export const readers: Reader[] = ['anon', 'alice', 'bob', 'carol', 'dave', 'erin', 'mallory']

const R = 'read',
  F = 'forbidden',
  N = 'notFound',
  S = 'signIn'
//                                           anon alice bob carol dave erin mallory
export const accessMatrix: Record<string, Outcome[]> = {
  'getting-started': [R, R, R, R, R, R, R],
  'member-faq': [S, R, R, R, R, R, R],
  'partner-onboarding': [S, R, F, F, F, F, F],
  'admin-guide': [S, F, F, R, F, F, F],
  'acme-runbook': [S, R, F, R, F, F, F],
  'enterprise-sso': [S, F, F, R, F, F, F],
  'beta-features': [N, N, N, N, R, N, N],
  'eu-data-residency': [S, R, F, R, F, F, F],
}

export function expectedOutcome(slug: string, reader: Reader): Outcome {
  return accessMatrix[slug]![readers.indexOf(reader)]!
}

export type SeedDoc = { _id: string; _type: string; [field: string]: unknown }

export const seedFile = join(import.meta.dirname, '../sanity/seed/seed.ndjson')

export function loadSeed(): SeedDoc[] {
  return readFileSync(seedFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as SeedDoc)
}

/** The unique marker sentence in each seed doc's body, by slug: proof of a leak if it shows up. */
export function seedMarkers(): Record<string, string> {
  const markers: Record<string, string> = {}
  for (const doc of loadSeed().filter((d) => d._type === 'gatedPage')) {
    const marker = /GH-MARKER-[A-Z-]+-\d+/.exec(JSON.stringify(doc.body))?.[0]
    if (!marker) throw new Error(`seed doc ${doc._id} has no marker sentence`)
    markers[(doc.slug as { current: string }).current] = marker
  }
  return markers
}
