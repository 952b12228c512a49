// Types for lib/config/heap.mjs (plain JavaScript: `npm start` runs it before Next, on any Node).
export const HEAP_NODE_OPTIONS: string
export function withHeapPolicy(nodeOptions: string | undefined): string
