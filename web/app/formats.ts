// The Intl options of the list rows' dates (i18n.ts, formatWhen), shared with the worker that
// makes them first (intlWarm.ts).
export const timeOptions: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };
export const shortDateOptions: Intl.DateTimeFormatOptions = { day: "numeric", month: "short" };
