import { defineField, defineType } from 'sanity'
import { CALLOUT_TONES } from '../../../lib/content/callouts.ts'
import { innerTextBlock } from './blocks'

/** A highlighted aside: note, tip, important, warning or caution (GitHub's alert tones). */
export const callout = defineType({
  name: 'callout',
  title: 'Callout',
  type: 'object',
  fields: [
    defineField({
      name: 'tone',
      title: 'Tone',
      type: 'string',
      initialValue: 'note',
      options: { list: CALLOUT_TONES.map((value) => ({ title: value[0]!.toUpperCase() + value.slice(1), value })), layout: 'radio', direction: 'horizontal' },
      validation: (rule) => rule.required(),
    }),
    defineField({ name: 'content', title: 'Text', type: 'array', of: [innerTextBlock], validation: (rule) => rule.required().min(1) }),
  ],
  preview: {
    select: { tone: 'tone', content: 'content' },
    prepare: ({ tone, content }: { tone?: string; content?: { children?: { text?: string }[] }[] }) => ({
      title: content?.[0]?.children?.map((child) => child.text ?? '').join('') || 'Empty callout',
      subtitle: `Callout (${tone ?? 'note'})`,
    }),
  },
})
