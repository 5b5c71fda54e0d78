/**
 * The limits of the complaint form, shared by the server check and the page that states them
 * (hence no `.server` in the name and no I/O).
 */
export const MAX_COMPLAINT_TEXT = 5000;
export const MAX_COMPLAINT_FILES = 3;
/** All attachments together (8 MB, as for a single document): the authority's relay must accept the mail. */
export const MAX_COMPLAINT_FILES_BYTES = 8 * 1024 * 1024;
