import { defineArrayMember, defineField, defineType } from 'sanity'
import { hiddenNeedsRequirement, noSecrets, plansExist, rolesExist } from '../validation'

const API_VERSION = '2025-02-19'

/**
 * A document whose access rule lives next to its content. The rule is enforced inside the GROQ
 * query (lib/content/access.ts), so Sanity never returns a body the reader may not see.
 * A reader needs all of: the audience, one of the required roles (if any), the tenant (if set)
 * and one of the plans (if any).
 */
export const gatedPage = defineType({
  name: 'gatedPage',
  title: 'Gated page',
  type: 'document',
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
        rule.required().custom((slug) => (!slug?.current || /^[a-z0-9][a-z0-9-]{0,95}$/.test(slug.current) ? true : 'Use lowercase letters, digits and dashes.')),
    }),
    defineField({
      name: 'excerpt',
      title: 'Excerpt',
      description: 'Shown as the teaser to readers who cannot open the page. Never put gated text here.',
      type: 'text',
      rows: 3,
      group: 'content',
    }),
    defineField({
      name: 'body',
      title: 'Body',
      type: 'array',
      group: 'content',
      of: [defineArrayMember({ type: 'block' })],
    }),
    defineField({
      name: 'audience',
      title: 'Audience',
      type: 'string',
      group: 'access',
      initialValue: 'signedIn',
      options: {
        list: [
          { title: 'Public (anyone, signed out too)', value: 'public' },
          { title: 'Signed-in readers', value: 'signedIn' },
        ],
        layout: 'radio',
      },
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'requiredRoles',
      title: 'Required roles',
      description: 'Role keys (accessRole.key). The reader needs at least one. Empty: no role needed.',
      type: 'array',
      group: 'access',
      of: [defineArrayMember({ type: 'string' })],
      validation: (rule) =>
        rule.unique().custom((keys, context) =>
          rolesExist(keys, (wanted) => context.getClient({ apiVersion: API_VERSION }).fetch('*[_type == "accessRole" && key in $wanted].key', { wanted })),
        ),
    }),
    defineField({
      name: 'tenantId',
      title: 'Tenant',
      description: 'organizationProfile.tenantId. Empty: any tenant.',
      type: 'string',
      group: 'access',
    }),
    defineField({
      name: 'plans',
      title: 'Allowed plans',
      description: 'Plan slugs (accessPlan.slug). The reader needs one of them. Empty: any plan.',
      type: 'array',
      group: 'access',
      of: [defineArrayMember({ type: 'string' })],
      validation: (rule) =>
        rule.unique().custom((slugs, context) =>
          plansExist(slugs, (wanted) => context.getClient({ apiVersion: API_VERSION }).fetch('*[_type == "accessPlan" && slug in $wanted].slug', { wanted })),
        ),
    }),
    defineField({
      name: 'visibility',
      title: 'When the reader cannot open it',
      type: 'string',
      group: 'access',
      initialValue: 'teaser',
      options: {
        list: [
          { title: 'Show a locked teaser (title, excerpt, what is required)', value: 'teaser' },
          { title: 'Hide it completely (404)', value: 'hidden' },
        ],
        layout: 'radio',
      },
      validation: (rule) => rule.required(),
    }),
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
  ],
  validation: (rule) => [rule.custom((doc) => hiddenNeedsRequirement(doc)), rule.custom((doc) => noSecrets(doc))],
  preview: { select: { title: 'title', subtitle: 'slug.current' } },
})
