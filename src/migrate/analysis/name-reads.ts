/**
 * The reason for a status slot given the text a status table maps 403 back to (`res.status(StatusCodes[403])`,
 * `ctx.status = httpStatus['403']`, `reply.code(http.STATUS_CODES[403])`): `read` as written, `target` the
 * agreed status. A string is no status code, so the slot sends no 403 as written; what it meant is a person's call.
 */
export function nameReadReason(read: string, target: number): string {
  return `${read} reads the text a status table holds for 403 (its name or reason phrase, e.g. 'FORBIDDEN' or 'Forbidden'), not a status: as a status it sends no 403 as written (a string is no status code). If this response means 403 on an mTLS route, send ${target} here (a number, or the table's ${target} member); if it is text, move it to the body.`;
}
