import { defineField, defineType } from 'sanity'

/** A customer organization. `tenantId` is what identity providers put in the token's tenant claim. */
export const organizationProfile = defineType({
  name: 'organizationProfile',
  title: 'Organization',
  type: 'document',
  fields: [
    defineField({
      name: 'tenantId',
      title: 'Tenant id',
      type: 'string',
      validation: (rule) => rule.required().regex(/^[a-z0-9][a-z0-9_-]*$/, { name: 'tenant id' }),
    }),
    defineField({ name: 'name', title: 'Name', type: 'string', validation: (rule) => rule.required() }),
  ],
  preview: { select: { title: 'name', subtitle: 'tenantId' } },
})
