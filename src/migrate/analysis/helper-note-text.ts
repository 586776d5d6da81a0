/**
 * The words of a shared helper's note (a function whose parameter becomes the status, call-sites.ts) as written
 * before any call is matched; helper-notes.ts `settleHelperNotes` rewords it from what the run did.
 */

/** The first words of a helper's note, as call-sites.ts writes it before any call is matched. */
export function helperNoteHead(name: string, trpc: boolean): string {
  return trpc
    ? `Shared helper: the tRPC code of a TRPCError comes from its caller (parameter '${name}').`
    : `Shared helper: the status comes from its caller (parameter '${name}').`;
}

/** The note before the run matched the calls (call-sites.ts); settleHelperNotes rewords it. */
export function helperNote(name: string, trpc: boolean): string {
  return `${helperNoteHead(name, trpc)} ${trpc ? "Call sites that pass 'FORBIDDEN' (tRPC answers 403)" : 'Call sites that pass 403 (a number or a constant mtls-fix reads)'} are rewritten; check the other callers${trpc ? '' : ' and any default value'}.`;
}
