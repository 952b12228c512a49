import { defineArrayMember, defineField } from 'sanity'
import { DIMENSIONS, type Dimension } from '../../lib/access/dimensions.ts'
import { valuesExist } from '../validation'

const API_VERSION = '2025-02-19'

/**
 * The access field for one dimension (lib/access/dimensions.ts), with its Studio validation: on a
 * gatedPage (in its "Access" group) and on a restricted block inside a body (no group).
 */
function accessField(d: Dimension, group?: string) {
  const common = { name: d.field, title: d.studio.title, description: d.studio.description, ...(group ? { group } : {}) }
  switch (d.kind) {
    case 'audience':
      return defineField({
        ...common,
        type: 'string',
        initialValue: 'signedIn',
        options: {
          list: [
            { title: 'Public (anyone, signed out too)', value: 'public' },
            { title: 'Signed-in readers', value: 'signedIn' },
          ],
          layout: 'radio',
        },
        validation: (rule) => rule.required(),
      })
    case 'equals':
      return defineField({ ...common, type: 'string' })
    case 'anyOf':
    case 'oneOf': {
      const exists = 'exists' in d ? d.exists : undefined
      return defineField({
        ...common,
        type: 'array',
        of: [defineArrayMember({ type: 'string' })],
        validation: (rule) =>
          exists
            ? rule
                .unique()
                .custom((values, context) =>
                  valuesExist(values, (wanted) => context.getClient({ apiVersion: API_VERSION }).fetch(exists.query, { values: wanted }), exists),
                )
            : rule.unique(),
      })
    }
  }
}

/** Every dimension's field, in the registry's order, for a gatedPage's "Access" group. */
export const accessFields = DIMENSIONS.map((d) => accessField(d, 'access'))
/** The same fields for a restricted block: one rule, two places it applies. */
export const blockAccessFields = DIMENSIONS.map((d) => accessField(d))

/**
 * What a reader the rule refuses gets: a teaser or nothing. One field for a page and for a restricted
 * section (the GROQ rule reads `visibility` the same way in both), each with its own wording.
 */
export function visibilityField(labels: { title: string; teaser: string; hidden: string }, group?: string) {
  return defineField({
    name: 'visibility',
    title: labels.title,
    type: 'string',
    ...(group ? { group } : {}),
    initialValue: 'teaser',
    options: {
      list: [
        { title: labels.teaser, value: 'teaser' },
        { title: labels.hidden, value: 'hidden' },
      ],
      layout: 'radio',
    },
    validation: (rule) => rule.required(),
  })
}
