import { describe, expect, it } from 'vitest'
import type { Grants } from '@/lib/access/dimensions'
import type { Audience } from '@/lib/auth/dal'
import { sessionMarker } from '@/lib/auth/session-marker'
import type { Viewer } from '@/lib/auth/viewer'

// The marker every open tab compares (lib/auth/ui/session-watch.tsx): the same for the same session
// state — or tabs would refresh each other forever — and different for every change that must drop a
// tab's prefetched pages. It sits in the page and in localStorage, so it must name nobody.

const SECRET = 'test-session-secret-0123456789abcdef-0123456789'
const grants: Grants = { roles: ['partner_admin'], tenant: 'acme', plan: 'pro', region: 'eu' }
const alice: Viewer = {
  subject: 'alice',
  email: 'alice@example.test',
  name: 'Alice Anders',
  provider: 'local',
  ...grants,
  access: { source: 'token', reason: null, changedAt: null },
}
const signedIn = (viewer: Viewer = alice, reader: Grants = grants): Audience => ({ viewer, isEditor: false, preview: null, drafts: false, reader })
const signedOut: Audience = { viewer: null, isEditor: false, preview: null, drafts: false, reader: null }
const marker = (audience: Audience, secret = SECRET) => sessionMarker(audience, secret)

describe('sessionMarker', () => {
  it('is the same for the same session state, built afresh (every request, every instance)', () => {
    expect(marker(signedIn())).toBe(marker(signedIn({ ...alice, access: { ...alice.access } }, { ...grants, roles: [...grants.roles] })))
    expect(marker(signedOut)).toBe(marker({ ...signedOut }))
  })

  it('changes on sign-out, on a sign-in as someone else, and across providers', () => {
    const all = [
      marker(signedIn()),
      marker(signedOut),
      marker(signedIn({ ...alice, subject: 'grace', name: 'Grace Green' })),
      marker(signedIn({ ...alice, provider: 'okta' })),
    ]
    expect(new Set(all).size).toBe(all.length)
  })

  it('changes when the access a page rendered changes: grants, a change notice, an unconfirmed or removed profile', () => {
    const all = [
      marker(signedIn()),
      marker(signedIn(alice, { ...grants, tenant: 'globex' })),
      marker(signedIn(alice, { ...grants, roles: [] })),
      marker(signedIn({ ...alice, access: { source: 'profile', reason: null, changedAt: 1_700_000_000_000 } })),
      marker(signedIn({ ...alice, access: { source: 'profile', reason: null, changedAt: 1_700_000_000_001 } })),
      marker(signedIn({ ...alice, access: { source: 'none', reason: 'unconfirmed', changedAt: null } })),
      marker(signedIn({ ...alice, access: { source: 'none', reason: 'profileRemoved', changedAt: 1_700_000_000_000 } })),
    ]
    expect(new Set(all).size).toBe(all.length)
  })

  it('changes when an editor starts previewing or enters draft mode', () => {
    const editor = signedIn({ ...alice, roles: ['content_editor'] }, { ...grants, roles: ['content_editor'] })
    const previewing: Audience = { ...editor, isEditor: true, preview: { anonymous: false, ...grants }, drafts: true, reader: grants }
    const all = [marker(editor), marker(previewing), marker({ ...editor, drafts: true })]
    expect(new Set(all).size).toBe(all.length)
  })

  it('names nobody: no subject, email, name or grant in it, and another secret gives another marker', () => {
    const value = marker(signedIn())
    expect(value).toMatch(/^[A-Za-z0-9_-]{22}$/)
    for (const part of ['alice', 'example', 'Anders', 'partner', 'acme', 'local']) expect(value.toLowerCase()).not.toContain(part.toLowerCase())
    expect(marker(signedIn(), `${SECRET}-other`)).not.toBe(value)
    expect(marker(signedOut, `${SECRET}-other`)).not.toBe(marker(signedOut))
  })
})
