import { defineArrayMember, defineField } from 'sanity'
import { CODE_LANGUAGES } from '../../../lib/content/code-languages.ts'
import { bodyTextBlock } from './blocks'

/**
 * A doc's body: text, images (with alt text and hotspot), code blocks (highlighted on the server),
 * callouts and tables. The body leaves the content lake only for readers the access rule lets through
 * (lib/content/queries.ts), and so do the image URLs inside it.
 */
export const docBodyField = defineField({
  name: 'body',
  title: 'Body',
  type: 'array',
  group: 'content',
  of: [
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
  ],
})
