import { orderableDocumentListDeskItem } from '@sanity/orderable-document-list'
import type { StructureResolver } from 'sanity/structure'

/**
 * Docs first: sections in the order readers see them, each opening its pages as a drag-to-order list
 * (the `orderRank` the sidebar sorts by). Everything that grants access is grouped under Access.
 */
export const structure: StructureResolver = (S, context) =>
  S.list()
    .title('Gatehouse')
    .items([
      S.listItem()
        .title('Docs by section')
        .id('docs-by-section')
        .child(
          S.documentTypeList('docSection')
            .title('Sections')
            .child((sectionId) =>
              S.list()
                .title('Pages')
                .items([
                  orderableDocumentListDeskItem({
                    type: 'gatedPage',
                    id: `pages-${sectionId}`,
                    title: 'Pages (drag to order)',
                    filter: 'section._ref == $section',
                    params: { section: sectionId.replace(/^drafts\./, '') },
                    S,
                    context,
                  }),
                  S.documentListItem().schemaType('docSection').id(sectionId).title('Section settings'),
                ]),
            ),
        ),
      orderableDocumentListDeskItem({ type: 'docSection', id: 'order-sections', title: 'Order sections', S, context }),
      S.documentTypeListItem('gatedPage').title('All pages'),
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
