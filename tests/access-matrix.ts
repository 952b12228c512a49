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
//                             anon alice bob carol dave erin mallory
export const accessMatrix: Record<string, Outcome[]> = {
  'getting-started': [R, R, R, R, R, R, R],
  quickstart: [R, R, R, R, R, R, R],
  'core-concepts': [R, R, R, R, R, R, R],
  glossary: [R, R, R, R, R, R, R],
  'signing-in': [R, R, R, R, R, R, R],
  'member-faq': [S, R, R, R, R, R, R],
  'workspace-setup': [S, R, R, R, R, R, R],
  'sending-events': [S, R, R, R, R, R, R],
  'webhook-endpoints': [S, R, R, R, R, R, R],
  'filtering-and-routing': [S, R, F, R, R, F, F],
  'monitoring-deliveries': [S, F, R, R, F, F, F],
  'admin-guide': [S, F, F, R, F, F, F],
  'api-key-rotation': [S, F, F, R, F, F, F],
  'beta-features': [N, N, N, N, R, N, N],
  'streaming-exports': [N, N, N, N, R, N, N],
  'relay-functions': [N, N, N, N, R, N, N],
  'api-overview': [R, R, R, R, R, R, R],
  authentication: [R, R, R, R, R, R, R],
  errors: [R, R, R, R, R, R, R],
  'rate-limits': [S, R, R, R, R, R, R],
  'webhook-signatures': [R, R, R, R, R, R, R],
  'events-api': [S, R, R, R, R, R, R],
  'partner-api': [S, R, F, F, F, F, F],
  'admin-api': [S, F, F, R, F, F, F],
  'partner-overview': [S, R, R, R, R, R, R],
  'partner-onboarding': [S, R, F, F, F, F, F],
  'partner-certification': [S, R, F, F, F, F, F],
  'marketplace-listing': [S, R, F, F, F, F, F],
  'partner-escalations': [S, R, F, F, F, F, F],
  'reseller-margins': [N, R, N, N, N, N, N],
  'runbook-template': [S, R, R, R, R, R, R],
  'acme-runbook': [S, R, F, R, F, F, F],
  'acme-escalation-contacts': [S, R, F, R, F, F, F],
  'acme-change-freeze': [S, F, F, R, F, F, F],
  'acme-capacity-review': [S, F, F, R, F, F, F],
  'globex-runbook': [S, F, R, F, R, F, F],
  'globex-failover-drill': [N, N, R, N, R, N, N],
  'enterprise-overview': [R, R, R, R, R, R, R],
  'enterprise-sso': [S, F, F, R, F, F, F],
  'scim-provisioning': [S, F, F, R, F, F, F],
  'eu-data-residency': [S, R, F, R, F, F, F],
  'customer-managed-keys': [S, F, F, R, F, F, F],
  'us-data-residency': [S, F, R, F, R, R, R],
}

/**
 * Restricted sections inside pages (issue #11): what each reader gets of a section, by its marker.
 * S: shown; T: a one-line teaser, no content; H: nothing at all; -: the page itself is not readable.
 */
export type SectionOutcome = 'S' | 'T' | 'H' | '-'
//                                                         anon alice bob carol dave erin mallory
export const sectionMatrix: Record<string, { page: string; outcomes: SectionOutcome[] }> = {
  'GH-SECTION-GETTING-STARTED-2207': { page: 'getting-started', outcomes: ['T', 'S', 'S', 'S', 'S', 'S', 'S'] },
  'GH-SECTION-EVENTS-API-6612': { page: 'events-api', outcomes: ['-', 'S', 'T', 'T', 'T', 'T', 'T'] },
  'GH-SECTION-ENTERPRISE-OVERVIEW-8830': { page: 'enterprise-overview', outcomes: ['H', 'H', 'H', 'S', 'H', 'H', 'H'] },
  'GH-SECTION-ACME-RUNBOOK-3154': { page: 'acme-runbook', outcomes: ['-', 'T', '-', 'S', '-', '-', '-'] },
  'GH-SECTION-RUNBOOK-TEMPLATE-4471': { page: 'runbook-template', outcomes: ['-', 'H', 'S', 'H', 'S', 'H', 'H'] },
}

export function expectedSection(marker: string, reader: Reader): SectionOutcome {
  return sectionMatrix[marker]!.outcomes[readers.indexOf(reader)]!
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
