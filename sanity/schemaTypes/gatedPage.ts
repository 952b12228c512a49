import { orderRankField, orderRankOrdering } from '@sanity/orderable-document-list'
import { defineField, defineType } from 'sanity'
import { SLUG_PATTERN } from '../../lib/content/slug.ts'
import { hiddenNeedsRequirement, noSecrets, parentProblem, type ParentFacts } from '../validation'
import { accessFields, visibilityField } from './accessFields'
import { docBodyField } from './body/docBody'

const API_VERSION = '2025-02-19'
const PARENT_FACTS = `*[_id in [$id, "drafts." + $id]][0]{
  _id, "section": section._ref, "hasParent": defined(parent._ref),
  "selfHasChildren": count(*[_type == "gatedPage" && parent._ref == $self]) > 0
}`

/**
 * A document whose access rule lives next to its content: one field per access dimension
 * (lib/access/dimensions.ts). The rule is enforced inside the GROQ query (lib/content/access.ts), so
 * Sanity never returns a body the reader may not see.
 */
export const gatedPage = defineType({
  name: 'gatedPage',
  title: 'Gated page',
  type: 'document',
  orderings: [orderRankOrdering],
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
        rule.required().custom((slug) => (!slug?.current || SLUG_PATTERN.test(slug.current) ? true : 'Use lowercase letters, digits and dashes.')),
    }),
    defineField({
      name: 'section',
      title: 'Section',
      description: 'Where the page sits in the sidebar. Drag pages in the Studio’s Docs list to order them.',
      type: 'reference',
      to: [{ type: 'docSection' }],
      group: 'content',
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'parent',
      title: 'Parent page',
      description: 'Optional: nest this page under another page of the same section (one level).',
      type: 'reference',
      to: [{ type: 'gatedPage' }],
      group: 'content',
      options: {
        filter: ({ document }) => ({
          filter: 'section._ref == $section && !defined(parent) && !(_id in [$id, "drafts." + $id])',
          params: { section: (document.section as { _ref?: string } | undefined)?._ref ?? '', id: document._id.replace(/^drafts\./, '') },
        }),
      },
      validation: (rule) =>
        rule.custom(async (parent, context) => {
          const ref = (parent as { _ref?: string } | undefined)?._ref
          if (!ref || !context.document) return true
          const facts = await context
            .getClient({ apiVersion: API_VERSION })
            .fetch<ParentFacts | null>(PARENT_FACTS, { id: ref, self: context.document._id.replace(/^drafts\./, '') })
          return parentProblem(context.document as { _id: string; section?: { _ref?: string } }, facts) ?? true
        }),
    }),
    defineField({
      name: 'excerpt',
      title: 'Excerpt',
      description: 'Shown as the teaser to readers who cannot open the page. Never put gated text here.',
      type: 'text',
      rows: 3,
      group: 'content',
    }),
    docBodyField,
    // audience, required roles, tenant, plans, regions, …: one per access dimension.
    ...accessFields,
    visibilityField(
      { title: 'When the reader cannot open it', teaser: 'Show a locked teaser (title, excerpt, what is required)', hidden: 'Hide it completely (404)' },
      'access',
    ),
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
    orderRankField({ type: 'gatedPage' }),
  ],
  validation: (rule) => [rule.custom((doc) => hiddenNeedsRequirement(doc)), rule.custom((doc) => noSecrets(doc))],
  preview: { select: { title: 'title', subtitle: 'section.title' } },
})
