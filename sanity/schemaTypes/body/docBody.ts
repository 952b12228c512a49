import { defineArrayMember, defineField } from 'sanity'
import { CODE_LANGUAGES } from '../../../lib/content/code-languages.ts'
import { bodyTextBlock } from './blocks'

/** What a body (and a restricted block inside it) holds: text, images, code, callouts, tables. */
export const bodyMembers = [
  bodyTextBlock,
  defineArrayMember({
    type: 'image',
    options: { hotspot: true },
    fields: [
      defineField({
        name: 'alt',
        title: 'Alternative text',
        description: 'What the image shows, for readers who cannot see it.',
        type: 'string',
        validation: (rule) => rule.required(),
      }),
      defineField({ name: 'caption', title: 'Caption', type: 'string' }),
    ],
  }),
  defineArrayMember({
    type: 'code',
    options: {
      withFilename: true,
      language: 'typescript',
      languageAlternatives: CODE_LANGUAGES.map(({ title, value, mode }) => ({ title, value, mode })),
    },
  }),
  defineArrayMember({ type: 'callout' }),
  defineArrayMember({ type: 'table' }),
]

/**
 * A doc's body: text, images (with alt text and hotspot), code blocks (highlighted on the server),
 * callouts, tables, and restricted blocks (sections with their own access rule). The body leaves the
 * content lake only for readers the page's rule lets through, a restricted block's content only for
 * readers its own rule lets through (lib/content/queries.ts), and the image URLs inside with them.
 */
export const docBodyField = defineField({
  name: 'body',
  title: 'Body',
  type: 'array',
  group: 'content',
  of: [...bodyMembers, defineArrayMember({ type: 'restrictedBlock' })],
})
