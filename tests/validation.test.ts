import { describe, expect, it } from 'vitest'
import { DIMENSIONS } from '@/lib/access/dimensions'
import { findSecret, hiddenNeedsRequirement, noSecrets, parentProblem, valuesExist } from '@/sanity/validation'

const existsFor = (name: string) => {
  const d = DIMENSIONS.find((x) => x.name === name)!
  return 'exists' in d ? d.exists : undefined
}
const rolesExist = (keys: unknown, known: (k: string[]) => Promise<string[]>) => valuesExist(keys, known, existsFor('role')!)
const plansExist = (slugs: unknown, known: (k: string[]) => Promise<string[]>) => valuesExist(slugs, known, existsFor('plan')!)
import { loadSeed } from './access-matrix'

describe('Studio validation rules', () => {
  it('a hidden doc needs at least one requirement', () => {
    expect(hiddenNeedsRequirement({ visibility: 'hidden' })).toMatch(/at least one requirement/)
    expect(hiddenNeedsRequirement({ visibility: 'hidden', requiredRoles: [], tenantId: ' ' })).toMatch(/at least one/)
    expect(hiddenNeedsRequirement({ visibility: 'hidden', plans: ['pro'] })).toBe(true)
    expect(hiddenNeedsRequirement({ visibility: 'teaser' })).toBe(true)
  })

  it('role keys and plan slugs must exist', async () => {
    const known = async (keys: string[]) => keys.filter((k) => ['partner_admin', 'pro'].includes(k))
    expect(await rolesExist(['partner_admin'], known)).toBe(true)
    expect(await rolesExist(['partner_admin', 'ghost'], known)).toBe('No access role with key "ghost". Create it under Access → Roles first.')
    expect(await plansExist(['gold'], known)).toMatch(/No plan with slug "gold".*Access → Plans/)
    expect(await rolesExist(undefined, known)).toBe(true)
    expect(await rolesExist([42], known)).toMatch(/must be text/)
  })

  it('finds secrets anywhere in a document, including block text', () => {
    const doc = { title: 'Setup', body: [{ _type: 'block', children: [{ _type: 'span', text: 'use sk_live_4eC39HqLyjWDarjtT1zdp7dc here' }] }] }
    expect(findSecret(doc)).toEqual({ path: 'body[0].children[0].text', kind: 'a Stripe/Clerk secret key' })
    expect(noSecrets({ excerpt: '-----BEGIN RSA PRIVATE KEY-----\nMIIE' })).toMatch(/"excerpt" looks like a private key/)
    expect(noSecrets({ note: 'AKIAIOSFODNN7EXAMPLE' })).toMatch(/AWS/)
    expect(noSecrets({ title: 'Rotate your API keys every 90 days' })).toBe(true)
  })

  it('the seed itself passes every rule', async () => {
    const seed = loadSeed()
    const roles = seed.filter((d) => d._type === 'accessRole').map((d) => d.key as string)
    const plans = seed.filter((d) => d._type === 'accessPlan').map((d) => d.slug as string)
    for (const doc of seed) {
      expect(noSecrets(doc), doc._id).toBe(true)
      if (doc._type !== 'gatedPage') continue
      expect(hiddenNeedsRequirement(doc), doc._id).toBe(true)
      expect(await rolesExist(doc.requiredRoles, async (k: string[]) => k.filter((x) => roles.includes(x))), doc._id).toBe(true)
      expect(await plansExist(doc.plans, async (k: string[]) => k.filter((x) => plans.includes(x))), doc._id).toBe(true)
    }
  })
})

describe('parent page', () => {
  const doc = { _id: 'drafts.gatedPage.child', section: { _ref: 'docSection.guides' } }
  const parent = (facts: Partial<Parameters<typeof parentProblem>[1] & object> = {}) => ({
    _id: 'gatedPage.parent',
    section: 'docSection.guides',
    hasParent: false,
    selfHasChildren: false,
    ...facts,
  })

  it('accepts a top-level page of the same section', () => {
    expect(parentProblem(doc, parent())).toBeNull()
  })
  it('refuses itself (draft or published id), a nested parent, another section, a page with children, and a missing parent', () => {
    expect(parentProblem(doc, parent({ _id: 'gatedPage.child' }))).toMatch(/its own parent/)
    expect(parentProblem(doc, parent({ hasParent: true }))).toMatch(/one level/)
    expect(parentProblem(doc, parent({ section: 'docSection.api' }))).toMatch(/same section/)
    expect(parentProblem({ _id: 'gatedPage.child' }, parent())).toMatch(/same section/)
    expect(parentProblem(doc, parent({ selfHasChildren: true }))).toMatch(/cannot be nested/)
    expect(parentProblem(doc, null)).toMatch(/does not exist/)
  })
})
