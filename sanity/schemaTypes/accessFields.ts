import { defineArrayMember, defineField } from 'sanity'
import { DIMENSIONS, type Dimension } from '../../lib/access/dimensions.ts'
import { valuesExist } from '../validation'

const API_VERSION = '2025-02-19'

/** A gatedPage's access field for one dimension (lib/access/dimensions.ts), with its Studio validation. */
function accessField(d: Dimension) {
  const common = { name: d.field, title: d.studio.title, description: d.studio.description, group: 'access' }
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

/** Every dimension's field, in the registry's order. */
export const accessFields = DIMENSIONS.map(accessField)
