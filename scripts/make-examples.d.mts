/** The i-th sample item of examples/, in DynamoDB JSON (B and BS as base64). */
export function sampleItem(i: number): Record<string, unknown>
export const OBJECTS: number
export const ITEMS_PER_OBJECT: number
