/** A callout's tones (GitHub's alert set): the Studio's choices and the renderer's styles. */
export const CALLOUT_TONES = ['note', 'tip', 'important', 'warning', 'caution'] as const
export type CalloutTone = (typeof CALLOUT_TONES)[number]
