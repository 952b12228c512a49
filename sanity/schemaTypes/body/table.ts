import { defineArrayMember, defineField, defineType } from 'sanity'
import { innerTextBlock } from './blocks'

// The canonical Portable Text table shape (@portabletext/plugin-table, @portabletext/markdown): rows of
// cells, each cell a short run of text blocks, the first `headerRows` rows being the header.

export const table = defineType({
  name: 'table',
  title: 'Table',
  type: 'object',
  fields: [
    defineField({ name: 'headerRows', title: 'Header rows', type: 'number', initialValue: 1, validation: (rule) => rule.min(0).max(3).integer() }),
    defineField({
      name: 'rows',
      title: 'Rows',
      type: 'array',
      validation: (rule) => rule.required().min(1),
      of: [
        defineArrayMember({
          name: 'row',
          type: 'object',
          fields: [
            defineField({
              name: 'cells',
              title: 'Cells',
              type: 'array',
              of: [
                defineArrayMember({
                  name: 'cell',
                  type: 'object',
                  fields: [defineField({ name: 'value', title: 'Text', type: 'array', of: [innerTextBlock] })],
                  preview: {
                    select: { value: 'value' },
                    prepare: ({ value }: { value?: { children?: { text?: string }[] }[] }) => ({
                      title: value?.[0]?.children?.map((child) => child.text ?? '').join('') || '—',
                    }),
                  },
                }),
              ],
            }),
          ],
          preview: {
            select: { cells: 'cells' },
            prepare: ({ cells }: { cells?: unknown[] }) => ({ title: `Row of ${cells?.length ?? 0} cells` }),
          },
        }),
      ],
    }),
  ],
  preview: {
    select: { rows: 'rows' },
    prepare: ({ rows }: { rows?: unknown[] }) => ({ title: `Table (${rows?.length ?? 0} rows)` }),
  },
})
