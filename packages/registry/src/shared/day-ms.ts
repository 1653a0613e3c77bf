/** The longest duration any option accepts: a day, in milliseconds (longer is a typo, not a setting). */
export const DAY_MS = 86_400_000;
