/**
 * Art. 77: whether the authority may have the request's details, asked whenever a complaint is part
 * of the request. Read by the form's action and drawn by its page (hence no `.server`).
 */
export const CASE_FILE_FIELD = "complaintCaseFile";
