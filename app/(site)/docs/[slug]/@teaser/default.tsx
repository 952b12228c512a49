/** No teaser where the slot has no match (e.g. after a client-side navigation elsewhere). */
export default function NoTeaser() {
  return null
}
