/** What a doc or section slug may be: lowercase letters, digits and dashes (Studio validation and routes). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,95}$/
