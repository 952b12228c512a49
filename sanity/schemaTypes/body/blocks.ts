import { defineArrayMember, defineField } from 'sanity'

// The text blocks of a doc's body, shared by the body itself, callouts and table cells. Internal links
// are references (docLink), so the app can decide per reader whether a link shows, locks or is text;
// external links are plain `link` annotations.

const decorators = [
  { title: 'Strong', value: 'strong' },
  { title: 'Emphasis', value: 'em' },
  { title: 'Code', value: 'code' },
]

const annotations = [
  defineArrayMember({
    name: 'link',
    title: 'External link',
    type: 'object',
    fields: [
      defineField({
        name: 'href',
        title: 'URL',
        type: 'url',
        validation: (rule) => rule.required().uri({ scheme: ['http', 'https', 'mailto'] }),
      }),
    ],
  }),
  defineArrayMember({
    name: 'docLink',
    title: 'Link to a doc',
    type: 'object',
    description: 'Readers who cannot read the target see a locked link, or plain text if it is hidden from them.',
    fields: [defineField({ name: 'reference', title: 'Doc', type: 'reference', to: [{ type: 'gatedPage' }], validation: (rule) => rule.required() })],
  }),
]

const lists = [
  { title: 'Bullets', value: 'bullet' },
  { title: 'Numbers', value: 'number' },
]

/** Body text: paragraphs, headings h2–h4 (h1 is the doc's title), quotes and lists. */
export const bodyTextBlock = defineArrayMember({
  type: 'block',
  styles: [
    { title: 'Normal', value: 'normal' },
    { title: 'Heading 2', value: 'h2' },
    { title: 'Heading 3', value: 'h3' },
    { title: 'Heading 4', value: 'h4' },
    { title: 'Quote', value: 'blockquote' },
  ],
  lists,
  marks: { decorators, annotations },
})

/** Text inside a callout or table cell: no headings (they would enter the table of contents). */
export const innerTextBlock = defineArrayMember({
  type: 'block',
  styles: [{ title: 'Normal', value: 'normal' }],
  lists,
  marks: { decorators, annotations },
})
