import { defineField, defineType } from 'sanity'

/** A subscription plan. `slug` is what identity providers put in the token's plan claim. */
export const accessPlan = defineType({
  name: 'accessPlan',
  title: 'Access plan',
  type: 'document',
  fields: [
    defineField({
      name: 'slug',
      title: 'Slug',
      type: 'string',
      validation: (rule) => rule.required().regex(/^[a-z][a-z0-9_-]*$/, { name: 'plan slug' }),
    }),
    defineField({ name: 'title', title: 'Title', type: 'string', validation: (rule) => rule.required() }),
  ],
  preview: { select: { title: 'title', subtitle: 'slug' } },
})
