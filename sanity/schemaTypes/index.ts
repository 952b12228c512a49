import { accessPlan } from './accessPlan'
import { accessPolicy } from './accessPolicy'
import { accessRole } from './accessRole'
import { entitlement } from './entitlement'
import { callout } from './body/callout'
import { restrictedBlock } from './body/restrictedBlock'
import { table } from './body/table'
import { docSection } from './docSection'
import { gatedPage } from './gatedPage'
import { memberProfile } from './memberProfile'
import { organizationProfile } from './organizationProfile'

export const schemaTypes = [
  docSection,
  gatedPage,
  callout,
  table,
  restrictedBlock,
  accessRole,
  accessPlan,
  organizationProfile,
  memberProfile,
  accessPolicy,
  entitlement,
]
