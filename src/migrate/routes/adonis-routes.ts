import type { SpecCoverage } from '../types.js';
import { readAdonis } from './adonis.js';
import type { Project } from './project.js';

/**
 * The AdonisJS route registrations mtls-fix could not read (adonis.ts: a path computed at run time), each one
 * by-hand coverage entry that says why, so "no handler found" never hides them. Since session 51 the others are
 * read as routes; before, every AdonisJS registration was such an entry (session 49), and before that a route
 * naming its controller was dropped without a word.
 */
export function adonisRoutes(project: Project): SpecCoverage['unresolved'] {
  return readAdonis(project).unread;
}

/** The `file\0line` of every AdonisJS registration, read or not (no other reader's entry stands for them). */
export function adonisRegistrationLines(project: Project): Set<string> {
  const { routes, unread } = readAdonis(project);
  return new Set([...routes, ...unread].map((r) => `${r.file}\0${r.line}`));
}
