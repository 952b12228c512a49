import { describe, expect, it } from 'vitest'
import { accessParams, CAN_READ } from '@/lib/content/access'
import { MEMBER_GRANTS_QUERY, parseMemberGrants } from '@/lib/content/member-grants'
import { parseWhoCanRead, WHO_CAN_READ_MAX_MEMBERS, WHO_CAN_READ_QUERY } from '@/lib/content/who-can-read'
import { accessMatrix, expectedOutcome, loadSeed, readers, type SeedDoc } from './access-matrix'
import { query } from './support/seed-readers'

// "Who can read this doc" is one GROQ query over every memberProfile through the same rule the
// readers' own queries use. Over the seed (groq-js, the local lake's engine) it must agree with the
// access matrix for every doc, and with the parameter form of the rule for members the matrix does not
// list (frank) and for malformed profiles.

const seed = loadSeed()
const whoCanRead = async (dataset: SeedDoc[], slug: string) => parseWhoCanRead(await query(dataset, WHO_CAN_READ_QUERY, { slug }))

/** What the app itself decides for a member: the ids of the docs CAN_READ admits with their profile's grants as parameters. */
async function readableByParameters(dataset: SeedDoc[], memberId: string): Promise<Set<string>> {
  const member = dataset.find((d) => d._id === memberId)!
  const subject = (member.loginIds as { local: string }).local
  const grants = parseMemberGrants(await query(dataset, MEMBER_GRANTS_QUERY, { provider: 'local', subject }))
  return new Set((await query(dataset, `*[_type == "gatedPage" && ${CAN_READ}]._id`, accessParams(grants!.grants))) as string[])
}

const frankReads = await readableByParameters(seed, 'memberProfile.frank')

describe('who can read a doc', () => {
  it.each(Object.keys(accessMatrix))('%s: exactly the members the matrix says read it (frank by the rule)', async (slug) => {
    const [doc, ...others] = await whoCanRead(seed, slug)
    expect(others).toEqual([])
    expect(doc!.slug).toBe(slug)
    const expected = readers.filter((r) => r !== 'anon' && expectedOutcome(slug, r) === 'read').map((r) => `memberProfile.${r}`)
    if (frankReads.has(doc!.docId)) expected.push('memberProfile.frank')
    expect(doc!.members.map((m) => m.id).sort()).toEqual(expected.sort())
    expect(doc!.truncated).toBe(false)
  })

  it('acme-runbook: Alice, Carol and Frank (tenant acme), by name', async () => {
    const [doc] = await whoCanRead(seed, 'acme-runbook')
    expect(doc!.members.map((m) => m.name)).toEqual(['Alice Anders', 'Carol Chen', 'Frank Fischer'])
  })

  it('a profile nobody can sign in as (no login ids) is not a reader', async () => {
    const orphan: SeedDoc = { _id: 'memberProfile.orphan', _type: 'memberProfile', name: 'Orphan' }
    const [doc] = await whoCanRead([...seed, orphan], 'getting-started')
    expect(doc!.members.map((m) => m.id)).not.toContain('memberProfile.orphan')
    expect(doc!.members.map((m) => m.id)).toContain('memberProfile.alice')
  })

  it('an unknown slug is no doc, not an error', async () => {
    expect(await whoCanRead(seed, 'no-such-doc')).toEqual([])
  })

  it('agrees with the parameter form of the rule for malformed and partial profiles', async () => {
    const ref = (type: string, key: string, _key?: string) => ({ _type: 'reference', _ref: `${type}.${key}`, ...(_key ? { _key } : {}) })
    const odd: SeedDoc[] = [
      // A deleted role (dangling reference), no plan, no tenant, no region.
      { _id: 'memberProfile.ghost', _type: 'memberProfile', name: 'Ghost', loginIds: { local: 'ghost' }, roles: [ref('accessRole', 'deleted', 'x')] },
      // No roles field at all; a tenant that no longer exists.
      { _id: 'memberProfile.nobody', _type: 'memberProfile', name: 'Nobody', loginIds: { local: 'nobody' }, tenant: ref('organizationProfile', 'gone') },
      // Everything a doc can ask for.
      {
        _id: 'memberProfile.super',
        _type: 'memberProfile',
        name: 'Super',
        loginIds: { local: 'super' },
        roles: ['customer_admin', 'partner_admin', 'beta_tester'].map((k) => ref('accessRole', k, k)),
        plan: ref('accessPlan', 'enterprise'),
        tenant: ref('organizationProfile', 'acme'),
        region: 'eu',
      },
    ]
    // A doc with a malformed requirement (a null role) must not admit a member holding a dangling role.
    const malformed: SeedDoc = { _id: 'gatedPage.malformed', _type: 'gatedPage', slug: { current: 'malformed' }, audience: 'signedIn', requiredRoles: [null] }
    const dataset = [...seed, ...odd, malformed]
    const members = dataset.filter((d) => d._type === 'memberProfile').map((d) => d._id)
    const readable = new Map(await Promise.all(members.map(async (id) => [id, await readableByParameters(dataset, id)] as const)))
    for (const slug of [...Object.keys(accessMatrix), 'malformed']) {
      const [doc] = await whoCanRead(dataset, slug)
      const expected = members.filter((id) => readable.get(id)!.has(doc!.docId))
      expect(doc!.members.map((m) => m.id).sort(), slug).toEqual(expected.sort())
    }
  }, 60_000)

  it('a slug two published docs share lists each; drafts are not the published doc', async () => {
    const copy = { ...seed.find((d) => d._id === 'gatedPage.admin-guide')!, _id: 'gatedPage.admin-guide-copy', requiredRoles: ['partner_admin'] }
    const [first, second] = await whoCanRead([...seed, copy], 'admin-guide')
    expect(first!.members.map((m) => m.id)).toEqual(['memberProfile.carol'])
    expect(second!.docId).toBe('gatedPage.admin-guide-copy')
    expect(second!.members.map((m) => m.id).sort()).toEqual(['memberProfile.alice', 'memberProfile.frank'])
  })

  it('lists at most WHO_CAN_READ_MAX_MEMBERS and says there are more', async () => {
    const many: SeedDoc[] = Array.from({ length: WHO_CAN_READ_MAX_MEMBERS + 5 }, (_, i) => ({
      _id: `memberProfile.bulk${i}`,
      _type: 'memberProfile',
      name: `Bulk ${String(i).padStart(3, '0')}`,
      loginIds: { local: `bulk${i}` },
    }))
    const [doc] = await whoCanRead([...seed, ...many], 'member-faq')
    expect(doc!.members).toHaveLength(WHO_CAN_READ_MAX_MEMBERS)
    expect(doc!.truncated).toBe(true)
  }, 30_000)

  it('a malformed result is an error, not an empty list', () => {
    expect(() => parseWhoCanRead([{ _id: 1 }])).toThrow(/unexpected result/)
    expect(parseWhoCanRead(null)).toEqual([])
  })
})
