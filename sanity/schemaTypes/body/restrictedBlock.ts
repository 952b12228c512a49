import { defineField, defineType } from 'sanity'
import { DIMENSIONS } from '../../../lib/access/dimensions.ts'
import { hiddenNeedsRequirement, noSecrets } from '../../validation'
import { blockAccessFields, visibilityField } from '../accessFields'
import { bodyMembers } from './docBody'

/**
 * A section of a page with its own access rule: the same dimensions as a page, applied on top of the
 * page's. The body query filters it inside GROQ, so its content never leaves the content lake for a
 * reader the rule refuses: a teaser block becomes one line saying what it needs, a hidden one nothing.
 */
export const restrictedBlock = defineType({
  name: 'restrictedBlock',
  title: 'Restricted section',
  type: 'object',
  fields: [
    defineField({
      name: 'content',
      title: 'Content',
      description: 'Only readers this section’s rule lets through receive it.',
      type: 'array',
      of: bodyMembers,
      validation: (rule) => rule.required().min(1),
    }),
    ...blockAccessFields,
    visibilityField({ title: 'When the reader cannot see it', teaser: 'Show one line saying what it requires', hidden: 'Leave no trace' }),
  ],
  validation: (rule) => [
    rule.custom((block) => hiddenNeedsRequirement(block as Record<string, unknown> | undefined)),
    rule.custom((block) => noSecrets(block)),
  ],
  preview: {
    select: Object.fromEntries([['visibility', 'visibility'], ...DIMENSIONS.map((d) => [d.name, d.field])]),
    prepare: (selection: Record<string, unknown>) => ({
      title: 'Restricted section',
      subtitle: [
        selection.visibility === 'hidden' ? 'hidden' : 'teaser',
        ...DIMENSIONS.flatMap((d) => {
          const value = selection[d.name]
          return Array.isArray(value) && value.length > 0
            ? [`${d.name}: ${value.join(', ')}`]
            : typeof value === 'string' && value
              ? [`${d.name}: ${value}`]
              : []
        }),
      ].join(' · '),
    }),
  },
})
