/** `lineItem` → `LineItem`, for operation names and identifiers. */
export const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)
