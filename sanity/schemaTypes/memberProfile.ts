import { defineArrayMember, defineField, defineType } from 'sanity'

/**
 * A reader's access metadata, kept in Sanity and synced to the identity provider on publish
 * (lib/sync). The IdP stays the authority for identity; this is what it should grant.
 */
export const memberProfile = defineType({
  name: 'memberProfile',
  title: 'Member',
  type: 'document',
  fields: [
    defineField({ name: 'name', title: 'Name', type: 'string', validation: (rule) => rule.required() }),
    defineField({
      name: 'loginIds',
      title: 'Identity-provider user ids',
      description: 'The user in each IdP this profile syncs to. Leave a provider empty to skip it.',
      type: 'object',
      fields: ['local', 'descope', 'auth0', 'clerk', 'okta'].map((provider) =>
        defineField({ name: provider, title: provider, type: 'string', validation: (rule) => rule.regex(/^[\w@.|:+-]{1,128}$/, { name: 'user id' }) }),
      ),
    }),
    defineField({
      name: 'roles',
      title: 'Roles',
      type: 'array',
      of: [defineArrayMember({ type: 'reference', to: [{ type: 'accessRole' }] })],
      validation: (rule) => rule.unique(),
    }),
    defineField({ name: 'plan', title: 'Plan', type: 'reference', to: [{ type: 'accessPlan' }] }),
    defineField({ name: 'tenant', title: 'Organization', type: 'reference', to: [{ type: 'organizationProfile' }] }),
    defineField({ name: 'locale', title: 'Locale', type: 'string', validation: (rule) => rule.regex(/^[a-z]{2}(-[A-Z]{2})?$/, { name: 'locale' }) }),
    defineField({ name: 'region', title: 'Region', type: 'string' }),
    defineField({
      name: 'onboardingStage',
      title: 'Onboarding stage',
      type: 'string',
      options: { list: ['invited', 'onboarding', 'active', 'churned'] },
    }),
  ],
  preview: { select: { title: 'name', subtitle: 'loginIds.local' } },
})
