import { accessPlan } from './accessPlan'
import { accessPolicy } from './accessPolicy'
import { accessRole } from './accessRole'
import { entitlement } from './entitlement'
import { gatedPage } from './gatedPage'
import { memberProfile } from './memberProfile'
import { organizationProfile } from './organizationProfile'

export const schemaTypes = [gatedPage, accessRole, accessPlan, organizationProfile, memberProfile, accessPolicy, entitlement]
