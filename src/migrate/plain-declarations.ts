/**
 * A module's text that may bind exports in ways the name test below does not see: whole modules handed on
 * (`export *`, a compiled `__exportStar`), CommonJS exports (`exports`, `module.exports`), `export =`, and
 * namespaces or ambient declarations (`namespace X { export const … }`, `declare …`), whose `export` is not the
 * module's. And restify-errors' `makeConstructor` (under any local name): the class it makes is read as a class
 * of its status (declarations.ts), no plain call's result, and each call's class is read by the name given to it
 * (ModuleExports `made`, which links.ts `madeClass` reads without this skim).
 */
const UNSEEN_EXPORTS = [
  /\bmakeConstructor\b/,
  /\bexport\s*[*=]/,
  /__exportStar/,
  /\bexports\b/,
  /\bnamespace\b/,
  /\bdeclare\b/,
  /\bmodule\s+(?:[\w$.]+|'[^'\n]*'|"[^"\n]*")\s*\{/,
];

/** `export const ` (or `let` / `var`) right before a name, at the start of a statement. */
const DECLARATION_HEAD = /(?:^|[;\n}])[ \t]*export[ \t]+(?:const|let|var)[ \t]+$/;

/** What follows a declared name: an optional type without `=`, then `= f(`, `= a.b(`, `= new F(`. */
const DECLARATION_TAIL =
  /(?:[ \t]*:[^=;\n]*)?[ \t]*=[ \t]*(new[ \t]+)?([A-Za-z_$][\w$]*(?:[ \t]*\.[ \t]*[A-Za-z_$][\w$]*)*)[ \t]*\(/y;

/** A member read right after a name: `.get`, `?.use`. */
const MEMBER_READ = /\s*\??\./y;

/** Callees whose result declarations.ts reads as a value (a table, a copy, an import): not a plain call. */
const READ_CALLEES = /^(?:Object\s*\.\s*(?:freeze|seal|assign)|require)$/;

/** A 4xx / 5xx number, or a status table's entry (`StatusCodes.FORBIDDEN`), among a call's first arguments. */
const STATUS_ARGUMENT =
  /(?<![\w$.])[45]\d\d(?![\w$.])|(?<![\w$.])(?:HttpStatus|StatusCodes|HttpStatusCode|httpStatus|status)\s*\./;

/**
 * An argument that is a name or a name's member (`generate(FORBIDDEN, …)`, `make(codes.DENIED)`): another module's
 * status may make an error class of it (declarations.ts `classOfImportedStatus`, session 50). Not a literal word.
 */
const NAMED_ARGUMENT = /(?:^|,)\s*(?!(?:true|false|null|undefined|this)\b)[A-Za-z_$][\w$]*\s*(?:[.,]|$)/;

/** Heads of a function expression, whose parenthesis holds parameters, not arguments. */
const FUNCTION_HEADS = /^(?:async|function)$/;

/** An identifier character (the name's boundary). */
const NAME_CHAR = /[\w$]/;

/**
 * Whether a module's text proves, without parsing it, that `name` is exported by `export const name = f(…)` (or
 * `let` / `var`, or `new F(…)`) and used nowhere else but as the owner of a member (`name.get(…)`): then
 * declarations.ts `moduleExports` would find `name` declared by the module and holding no status value (a call's
 * result is never read as one), and the module hands on no other module whole. ProjectLinks asks this before
 * parsing a module only to look `name` up (`export const router0 = Router()` of a router file a 403 file
 * imports: session 45, where one `app.ts` importing 5,000 routers had each parsed).
 *
 * Conservative: any other spelling (an `export { name }` list, a comment or string naming it, a second
 * declaration, `Object.freeze(…)`, a type annotation holding `=`) answers false, and the module is parsed.
 *
 * @param text the module's source text.
 * @param name the exported name looked up (an identifier; `default` and `*` answer false).
 */
export function declaresPlainCall(text: string, name: string): boolean {
  return declaresPlainCallSeen(text, name) && !UNSEEN_EXPORTS.some((pattern) => pattern.test(text));
}

/** `declaresPlainCall` but for the UNSEEN_EXPORTS test, which does not depend on `name`. */
function declaresPlainCallSeen(text: string, name: string): boolean {
  if (name === 'default' || name === '*' || !text.includes(name)) return false;
  let declared = false;
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const end = at + name.length;
    if ((before && NAME_CHAR.test(before)) || (end < text.length && NAME_CHAR.test(text[end]))) continue;
    // A member read off the name: `name.get(…)`, `name?.use(…)`, not `x.name` (a property of something else).
    MEMBER_READ.lastIndex = end;
    if (before !== '.' && MEMBER_READ.test(text)) continue;
    // Else the one declaration: `export const name = f(…)`.
    if (declared || !DECLARATION_HEAD.test(text.slice(Math.max(0, at - 40), at))) return false;
    DECLARATION_TAIL.lastIndex = end;
    const tail = DECLARATION_TAIL.exec(text);
    if (!tail || (!tail[1] && READ_CALLEES.test(tail[2].replace(/\s+/g, '')))) return false;
    // `export const Forbidden = generate(403, 'x')`: a call passing a status may make an error class of it
    // (analysis/class-factories.ts), read by declarations.ts.
    const args = text.slice(DECLARATION_TAIL.lastIndex, DECLARATION_TAIL.lastIndex + 200).split(')')[0];
    if (STATUS_ARGUMENT.test(args) || (!FUNCTION_HEADS.test(tail[2]) && NAMED_ARGUMENT.test(args)))
      return false;
    declared = true;
  }
  return declared;
}

/** `export const|let|var NAME` anywhere (no boundary before `export`: DECLARATION_HEAD may see none either). */
const EXPORTED_DECLARATION = /export[ \t]+(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)/g;

/**
 * Every name `declaresPlainCall(text, name)` answers true for, found ahead of any question (by a reading
 * thread, read-ahead.ts `ReadFile.plainExports`, so that the main thread need not read the file again to ask).
 * Sound: each name listed is one `declaresPlainCall` answers true for. A name it answers true for that is not
 * listed (a non-ASCII identifier) only costs the question a parse, which gives the same answer.
 *
 * @param text a module's source text.
 * @returns the names, in order of declaration, without repeats.
 */
export function plainlyDeclaredNames(text: string): string[] {
  if (!text.includes('export') || UNSEEN_EXPORTS.some((pattern) => pattern.test(text))) return [];
  const tried = new Set<string>();
  const names: string[] = [];
  for (const match of text.matchAll(EXPORTED_DECLARATION)) {
    if (tried.has(match[1])) continue;
    tried.add(match[1]);
    if (declaresPlainCallSeen(text, match[1])) names.push(match[1]);
  }
  return names;
}
