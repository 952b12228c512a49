import type { StructureResolver } from 'sanity/structure'

/** Docs first; everything that grants access grouped under Access. */
export const structure: StructureResolver = (S) =>
  S.list()
    .title('Gatehouse')
    .items([
      S.documentTypeListItem('gatedPage').title('Docs'),
      S.divider(),
      S.listItem()
        .title('Access')
        .child(
          S.list()
            .title('Access')
            .items([
              S.documentTypeListItem('accessRole').title('Roles'),
              S.documentTypeListItem('accessPlan').title('Plans'),
              S.documentTypeListItem('organizationProfile').title('Organizations'),
              S.documentTypeListItem('memberProfile').title('Members'),
              S.documentTypeListItem('accessPolicy').title('Policies (Auth0)'),
              S.documentTypeListItem('entitlement').title('Entitlements (Clerk)'),
            ]),
        ),
    ])
