import { accessPlan } from './accessPlan'
import { accessRole } from './accessRole'
import { gatedPage } from './gatedPage'
import { organizationProfile } from './organizationProfile'

export const schemaTypes = [gatedPage, accessRole, accessPlan, organizationProfile]
