import { isValidSignature, SIGNATURE_HEADER_NAME } from '@sanity/webhook'
import { DeliveryRejected } from './errors'

export const MAX_BODY_BYTES = 64 * 1024
/** @sanity/webhook has no replay window; a signature older or newer than this is refused. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000

/** Reads the raw body, refusing (413) as soon as it passes the limit instead of buffering it all. */
export async function readRawBody(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > limit) throw new DeliveryRejected(413, `Body larger than ${limit} bytes`)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw new DeliveryRejected(413, `Body larger than ${limit} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Verifies Sanity's HMAC signature over the raw body and that it was made within the window. */
export async function verifySignature(rawBody: string, header: string | null, secret: string, now = Date.now()): Promise<void> {
  if (!header) throw new DeliveryRejected(401, `Missing ${SIGNATURE_HEADER_NAME} header`)
  const timestamp = /(?:^|,)\s*t=(\d{10,16})(?:,|$)/.exec(header)?.[1]
  if (!timestamp) throw new DeliveryRejected(401, 'Malformed signature header')
  let valid = false
  try {
    valid = await isValidSignature(rawBody, header, secret)
  } catch {
    throw new DeliveryRejected(401, 'Malformed signature header')
  }
  if (!valid) throw new DeliveryRejected(401, 'Invalid signature')
  if (Math.abs(now - Number(timestamp)) > MAX_SIGNATURE_AGE_MS) {
    throw new DeliveryRejected(401, 'Signature timestamp outside the 5-minute window (replay?)')
  }
}
