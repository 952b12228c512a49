import { defineArrayMember, defineField, defineType } from 'sanity'
import { hiddenNeedsRequirement, noSecrets } from '../validation'
import { accessFields } from './accessFields'

/**
 * A document whose access rule lives next to its content: one field per access dimension
 * (lib/access/dimensions.ts). The rule is enforced inside the GROQ query (lib/content/access.ts), so
 * Sanity never returns a body the reader may not see.
 */
export const gatedPage = defineType({
  name: 'gatedPage',
  title: 'Gated page',
  type: 'document',
  groups: [
    { name: 'content', title: 'Content', default: true },
    { name: 'access', title: 'Access' },
  ],
  fields: [
    defineField({ name: 'title', title: 'Title', type: 'string', group: 'content', validation: (rule) => rule.required() }),
    defineField({
      name: 'slug',
      title: 'Slug',
      type: 'slug',
      group: 'content',
      // Slugs are unique per type by default (the slug type's isUnique); the pattern matches lib/content.
      options: { source: 'title', maxLength: 96 },
      validation: (rule) =>
        rule
          .required()
          .custom((slug) => (!slug?.current || /^[a-z0-9][a-z0-9-]{0,95}$/.test(slug.current) ? true : 'Use lowercase letters, digits and dashes.')),
    }),
    defineField({
      name: 'excerpt',
      title: 'Excerpt',
      description: 'Shown as the teaser to readers who cannot open the page. Never put gated text here.',
      type: 'text',
      rows: 3,
      group: 'content',
    }),
    defineField({
      name: 'body',
      title: 'Body',
      type: 'array',
      group: 'content',
      of: [defineArrayMember({ type: 'block' })],
    }),
    // audience, required roles, tenant, plans, regions, …: one per access dimension.
    ...accessFields,
    defineField({
      name: 'visibility',
      title: 'When the reader cannot open it',
      type: 'string',
      group: 'access',
      initialValue: 'teaser',
      options: {
        list: [
          { title: 'Show a locked teaser (title, excerpt, what is required)', value: 'teaser' },
          { title: 'Hide it completely (404)', value: 'hidden' },
        ],
        layout: 'radio',
      },
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'okta',
      title: 'Okta group',
      description: 'Mirror this doc as an Okta group `content:<slug>` (created on first publish).',
      type: 'object',
      group: 'access',
      fields: [
        defineField({ name: 'active', title: 'Active', type: 'boolean', initialValue: false }),
        defineField({ name: 'groupName', title: 'Group name', type: 'string', readOnly: true }),
        defineField({ name: 'groupId', title: 'Group id', type: 'string', readOnly: true }),
      ],
    }),
  ],
  validation: (rule) => [rule.custom((doc) => hiddenNeedsRequirement(doc)), rule.custom((doc) => noSecrets(doc))],
  preview: { select: { title: 'title', subtitle: 'slug.current' } },
})
