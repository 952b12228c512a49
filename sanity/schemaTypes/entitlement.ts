import { defineArrayMember, defineField, defineType } from 'sanity'

/** What a Clerk user (and optionally their organization) is entitled to; synced to public metadata. */
export const entitlement = defineType({
  name: 'entitlement',
  title: 'Entitlement (Clerk)',
  type: 'document',
  fields: [
    defineField({
      name: 'clerkUserId',
      title: 'Clerk user id',
      type: 'string',
      validation: (rule) => rule.required().regex(/^user_[A-Za-z0-9]+$/, { name: 'user id' }),
    }),
    defineField({
      name: 'clerkOrganizationId',
      title: 'Clerk organization id',
      type: 'string',
      validation: (rule) => rule.regex(/^org_[A-Za-z0-9]+$/, { name: 'organization id' }),
    }),
    defineField({ name: 'plan', title: 'Plan', type: 'reference', to: [{ type: 'accessPlan' }] }),
    defineField({ name: 'role', title: 'Role', type: 'reference', to: [{ type: 'accessRole' }] }),
    defineField({ name: 'docs', title: 'Docs', type: 'array', of: [defineArrayMember({ type: 'reference', to: [{ type: 'gatedPage' }] })] }),
  ],
  preview: { select: { title: 'clerkUserId', subtitle: 'clerkOrganizationId' } },
})
