import { defineArrayMember, defineField, defineType } from 'sanity'
import { PROVIDER_NAMES } from '../../lib/auth/provider-names.ts'
import { loginIdUnique } from '../validation'

const API_VERSION = '2025-02-19'

/**
 * A reader's access, kept in Sanity. For the members it names, this profile — as it is now — decides
 * their roles, organization and plan on every request (lib/auth/member-access.ts), whatever their IdP
 * token said at sign-in; it is also synced to the identity provider on publish (lib/sync). The IdP
 * stays the authority for identity.
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
      description: 'The user id (the `sub` of their sign-in token) at each IdP, e.g. auth0|64f…, 00u1ab…, U2x…, user_2x…. Leave a provider empty to skip it.',
      type: 'object',
      fields: PROVIDER_NAMES.map((provider) =>
        defineField({
          name: provider,
          title: provider,
          type: 'string',
          // `provider` comes from the fixed list above, never from input, so it may name the field.
          validation: (rule) => [
            rule.regex(/^[\w@.|:+-]{1,128}$/, { name: 'user id' }),
            rule.custom((id, context) =>
              loginIdUnique(provider, id, context.document?._id, (p, value, self) =>
                context
                  .getClient({ apiVersion: API_VERSION })
                  .fetch(`*[_type == "memberProfile" && loginIds.${p} == $value && !(_id in $self)][0..0]._id`, { value, self }),
              ),
            ),
          ],
        }),
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
