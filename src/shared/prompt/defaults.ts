/** The model token counts are for when the caller names none. */
export const DEFAULT_MODEL = 'gpt-4o';
