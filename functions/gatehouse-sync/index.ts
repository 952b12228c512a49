// Every Gatehouse sync function (sanity/blueprint.ts): its blueprint env's SYNC_TARGET names the target.
export { syncFunctionHandler as handler } from '../../lib/sync/function'
