import { orderRankField, orderRankOrdering } from '@sanity/orderable-document-list'
import { defineField, defineType } from 'sanity'
import { SLUG_PATTERN } from '../../lib/content/slug.ts'

/**
 * A section of the docs: the sidebar's top level and a page of its own (/sections/<slug>). Sections
 * carry no access rule; a section a reader can read nothing in shows only locked entries, or nothing.
 * Editors order sections (and the pages in each) by dragging them in the Studio's "Docs" list.
 */
export const docSection = defineType({
  name: 'docSection',
  title: 'Docs section',
  type: 'document',
  orderings: [orderRankOrdering],
  fields: [
    defineField({ name: 'title', title: 'Title', type: 'string', validation: (rule) => rule.required().max(80) }),
    defineField({
      name: 'slug',
      title: 'Slug',
      type: 'slug',
      options: { source: 'title', maxLength: 96 },
      validation: (rule) =>
        rule.required().custom((slug) => (!slug?.current || SLUG_PATTERN.test(slug.current) ? true : 'Use lowercase letters, digits and dashes.')),
    }),
    defineField({
      name: 'description',
      title: 'Description',
      description: 'One sentence under the section title. Public: never put gated text here.',
      type: 'text',
      rows: 2,
    }),
    orderRankField({ type: 'docSection' }),
  ],
  preview: { select: { title: 'title', subtitle: 'slug.current' } },
})
