import { defineField, defineType } from 'sanity'

/** A role a reader can hold. `key` is what identity providers put in the token's roles claim. */
export const accessRole = defineType({
  name: 'accessRole',
  title: 'Access role',
  type: 'document',
  fields: [
    defineField({
      name: 'key',
      title: 'Key',
      description: 'Exactly as the identity provider sends it, e.g. partner_admin.',
      type: 'string',
      validation: (rule) => rule.required().regex(/^[a-z][a-z0-9_:-]*$/, { name: 'role key' }),
    }),
    defineField({ name: 'title', title: 'Title', type: 'string', validation: (rule) => rule.required() }),
    defineField({ name: 'description', title: 'Description', type: 'text', rows: 3 }),
  ],
  preview: { select: { title: 'title', subtitle: 'key' } },
})
