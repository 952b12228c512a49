import { defineArrayMember, defineField, defineType } from 'sanity'

/** Access granted to an Auth0 organization; synced to the organization's metadata. */
export const accessPolicy = defineType({
  name: 'accessPolicy',
  title: 'Access policy (Auth0 organization)',
  type: 'document',
  fields: [
    defineField({
      name: 'auth0OrganizationId',
      title: 'Auth0 organization id',
      type: 'string',
      validation: (rule) => rule.required().regex(/^org_[A-Za-z0-9]+$/, { name: 'organization id' }),
    }),
    defineField({ name: 'plan', title: 'Plan', type: 'reference', to: [{ type: 'accessPlan' }] }),
    defineField({ name: 'role', title: 'Role', type: 'reference', to: [{ type: 'accessRole' }] }),
    defineField({
      name: 'allowedContentTags',
      title: 'Allowed content tags',
      type: 'array',
      of: [defineArrayMember({ type: 'string' })],
      validation: (rule) => rule.unique(),
    }),
    defineField({ name: 'status', title: 'Status', type: 'string', initialValue: 'active', options: { list: ['active', 'inactive'] } }),
  ],
  preview: { select: { title: 'auth0OrganizationId', subtitle: 'status' } },
})
