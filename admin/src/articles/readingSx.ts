/** Serif body type for long-form reading; the editing column uses the same face so the eye does not jump. */
export const readingSx = { fontFamily: '"Source Serif 4", "Source Serif Pro", Georgia, "Times New Roman", serif', fontSize: '1rem', lineHeight: 1.65 } as const;
