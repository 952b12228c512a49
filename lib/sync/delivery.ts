import { z } from 'zod'
import { DeliveryRejected } from './errors'

export const documentId = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'invalid document id' })
export const documentType = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { message: 'invalid document type' })

/** The webhook body: the projection configured in sanity/webhooks.ts, at least `_id` and `_type`. */
const payloadSchema = z.looseObject({ _id: documentId, _type: documentType })

export type Operation = 'create' | 'update' | 'delete'
export type Delivery = {
  id: string
  type: string
  operation: Operation
  idempotencyKey: string | null
  /** The projection as Sanity evaluated it (on delete: of the document as it was). */
  payload: Record<string, unknown>
}

export function parseDelivery(rawBody: string, headers: Headers): Delivery {
  let json: unknown
  try {
    json = JSON.parse(rawBody)
  } catch {
    throw new DeliveryRejected(400, 'Body is not valid JSON')
  }
  const parsed = payloadSchema.safeParse(json)
  if (!parsed.success) throw new DeliveryRejected(400, `Malformed payload: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  const operation = headers.get('sanity-operation') ?? 'update'
  if (operation !== 'create' && operation !== 'update' && operation !== 'delete') {
    throw new DeliveryRejected(400, `Unknown sanity-operation "${operation}"`)
  }
  const headerId = headers.get('sanity-document-id')
  if (headerId !== null && headerId !== parsed.data._id) throw new DeliveryRejected(400, 'sanity-document-id does not match the payload')
  return {
    id: parsed.data._id,
    type: parsed.data._type,
    operation,
    idempotencyKey: headers.get('idempotency-key'),
    payload: parsed.data,
  }
}

/** Drafts and release versions never sync: only published documents grant anything. */
export function isDraftOrVersion(id: string): boolean {
  return id.startsWith('drafts.') || id.startsWith('versions.')
}
