import ts from '../../typescript.cjs';
import { propertyName, unwrap, type Project, type ProjectFile } from './project.js';
import { nodeKey } from './syntax.js';

/**
 * Where a value a function receives ends up bound: a parameter or a binding element, plus the access path
 * still to apply to it. This is how the router graph follows a router handed to a helper inside an object
 * (`accounts({ router, tenant })`, `accounts({ app: router })` into `function accounts({ router })` or
 * `function accounts(opts) { opts.app.get(…) }`) or through a rest parameter and spreads
 * (`function g(...args) { f(...args) }`, `f(...[router, x])`, `const [router] = args`).
 */

/** One access step: a property (`.router`) or an element (`[0]`). */
export type Step = { property: string } | { index: number };

/** A binding (`ts.ParameterDeclaration` or `ts.BindingElement`) and the steps still to apply to its value. */
export interface Slot {
  file: ProjectFile;
  node: ts.Node;
  steps: Step[];
}

/** The router graph's key for the value at a slot: `nodeKey` of the binding, then `.name` / `[i]` steps. */
export function slotKey(slot: Slot): string {
  return nodeKey(slot.file, slot.node) + encodeSteps(slot.steps);
}

export function encodeSteps(steps: readonly Step[]): string {
  return steps.map((s) => ('index' in s ? `[${s.index}]` : `.${s.property}`)).join('');
}

/** The inverse of `encodeSteps` (`[0].app` -> two steps); undefined for text that is not a step list. */
export function decodeSteps(text: string): Step[] | undefined {
  const steps: Step[] = [];
  const pattern = /\[(\d+)\]|\.([^.[\]]+)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = pattern.exec(text))) {
    steps.push(match[1] !== undefined ? { index: Number(match[1]) } : { property: match[2] ?? '' });
    end = pattern.lastIndex;
  }
  return end === text.length ? steps : undefined;
}

/**
 * The slot argument `index` of a call, at `steps` inside that argument, lands in: the parameter at that
 * position (or the rest parameter, as `[index - position]`), descending into destructuring patterns
 * (`{ router }`, `{ app: router }`, `[router]`, `...rest`). Undefined when the pattern does not bind it.
 */
export function parameterSlot(
  file: ProjectFile,
  fn: ts.SignatureDeclaration,
  index: number,
  steps: readonly Step[],
): Slot | undefined {
  const parameters = fn.parameters;
  const last = parameters[parameters.length - 1];
  if (last?.dotDotDotToken && index >= parameters.length - 1)
    return descend(file, last, last.name, [{ index: index - (parameters.length - 1) }, ...steps]);
  const parameter = parameters[index];
  return parameter ? descend(file, parameter, parameter.name, steps) : undefined;
}

function descend(
  file: ProjectFile,
  holder: ts.ParameterDeclaration | ts.BindingElement,
  name: ts.BindingName,
  steps: readonly Step[],
): Slot | undefined {
  const [step, ...rest] = steps;
  if (ts.isIdentifier(name) || !step) return { file, node: holder, steps: [...steps] };
  if (ts.isObjectBindingPattern(name)) {
    if (!('property' in step)) return undefined;
    for (const element of name.elements) {
      // `{ a, ...others }`: the rest element (always last) holds every property not named before it.
      if (element.dotDotDotToken) return descend(file, element, element.name, steps);
      if (bindingKey(element) === step.property) return descend(file, element, element.name, rest);
    }
    return undefined;
  }
  if (!('index' in step)) return undefined;
  for (let i = 0; i < name.elements.length; i++) {
    const element = name.elements[i];
    if (!element || ts.isOmittedExpression(element)) continue;
    if (element.dotDotDotToken)
      return descend(file, element, element.name, [{ index: step.index - i }, ...rest]);
    if (i === step.index) return descend(file, element, element.name, rest);
  }
  return undefined;
}

/** The property an object-pattern element reads: `{ app: router }` -> `app`, `{ router }` -> `router`. */
function bindingKey(element: ts.BindingElement): string | undefined {
  if (element.propertyName) return propertyName(element.propertyName);
  return ts.isIdentifier(element.name) ? element.name.text : undefined;
}

/**
 * The slot an expression inside a function reads: `router` bound by a parameter pattern, `opts.app`,
 * `args[0]`, `const [router] = args`, `const { app } = opts`, `const r = opts.router`. Undefined when the
 * value does not come from a parameter.
 */
export function slotOf(
  project: Project,
  file: ProjectFile,
  expression: ts.Expression,
  depth = 0,
): Slot | undefined {
  if (depth > 6) return undefined;
  const node = unwrap(expression);
  if (ts.isIdentifier(node)) {
    for (const declaration of project.lookup(file, node, node.text)) {
      const found = declarationSlot(project, declaration.file, declaration.node, depth);
      if (found) return found;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(node)) {
    const base = slotOf(project, file, node.expression, depth + 1);
    return base && { ...base, steps: [...base.steps, { property: node.name.text }] };
  }
  if (ts.isElementAccessExpression(node)) {
    const argument = unwrap(node.argumentExpression);
    const step: Step | undefined = ts.isNumericLiteral(argument)
      ? { index: Number(argument.text) }
      : ts.isStringLiteral(argument)
        ? { property: argument.text }
        : undefined;
    const base = step && slotOf(project, file, node.expression, depth + 1);
    return base && step && { ...base, steps: [...base.steps, step] };
  }
  return undefined;
}

/** The slot a declaration binds (see `slotOf`). */
export function declarationSlot(
  project: Project,
  file: ProjectFile,
  declaration: ts.Node,
  depth = 0,
): Slot | undefined {
  if (ts.isParameter(declaration))
    return ts.isIdentifier(declaration.name) ? { file, node: declaration, steps: [] } : undefined;
  if (ts.isBindingElement(declaration)) {
    // Climb the pattern to what it destructures, collecting the steps on the way.
    const steps: Step[] = [];
    let element: ts.BindingElement = declaration;
    for (;;) {
      const pattern = element.parent;
      if (ts.isObjectBindingPattern(pattern)) {
        if (!element.dotDotDotToken) {
          const key = bindingKey(element);
          if (key === undefined) return undefined;
          steps.unshift({ property: key });
        }
      } else {
        const index = pattern.elements.indexOf(element);
        if (element.dotDotDotToken) return undefined;
        steps.unshift({ index });
      }
      const holder = pattern.parent;
      // A parameter's pattern: the binding itself is the slot (parameterSlot descends to it).
      if (ts.isParameter(holder)) return { file, node: declaration, steps: [] };
      if (ts.isBindingElement(holder)) {
        element = holder;
        continue;
      }
      if (ts.isVariableDeclaration(holder) && holder.initializer) {
        const base = slotOf(project, file, holder.initializer, depth + 1);
        return base && { ...base, steps: [...base.steps, ...steps] };
      }
      return undefined;
    }
  }
  if (ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) && declaration.initializer) {
    const init = unwrap(declaration.initializer);
    if (ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init))
      return slotOf(project, file, init, depth + 1);
  }
  return undefined;
}

/** A value found inside a call argument: at argument `index`, `steps` into it. */
export interface Leaf<T> {
  index: number;
  steps: Step[];
  value: T;
}

/**
 * The values a call passes, wherever they sit in its arguments: the arguments themselves, members of object
 * and array literals (`f({ app: router })`, `f([router])`), spreads of array literals (`f(...[router, x])`)
 * and values received through a slot and passed on (`f(opts)`, `f(...args)`). `direct` says what a plain
 * expression is; `held` lists the values the code put in a slot of the enclosing function (by steps).
 * Positions after a spread of unknown length are unknown and skipped.
 */
export function argumentLeaves<T>(
  project: Project,
  file: ProjectFile,
  args: readonly ts.Expression[],
  direct: (expression: ts.Expression, file: ProjectFile) => T | undefined,
  /** Undefined when no slot holds anything yet (then no slot is looked for). */
  held: ((slot: Slot) => { steps: Step[]; value: T }[]) | undefined,
): Leaf<T>[] {
  const out: Leaf<T>[] = [];
  const inside = (
    expression: ts.Expression,
    index: number,
    steps: Step[],
    depth: number,
    at = file,
  ): void => {
    if (depth > 4) return;
    const node = unwrap(expression);
    const slotHere = (e: ts.Expression): void => {
      if (!held) return;
      const slot = slotOf(project, at, e);
      if (slot)
        for (const h of held(slot)) out.push({ index, steps: [...steps, ...h.steps], value: h.value });
    };
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isShorthandPropertyAssignment(property))
          inside(property.name, index, [...steps, { property: property.name.text }], depth + 1, at);
        else if (ts.isPropertyAssignment(property)) {
          const key = propertyName(property.name);
          if (key !== undefined)
            inside(property.initializer, index, [...steps, { property: key }], depth + 1, at);
        } else if (ts.isSpreadAssignment(property)) slotHere(property.expression); // `{ ...opts }`
      }
      return;
    }
    if (ts.isArrayLiteralExpression(node)) {
      node.elements.forEach((element, i) => {
        if (!ts.isSpreadElement(element)) inside(element, index, [...steps, { index: i }], depth + 1, at);
      });
      return;
    }
    // `car(server, new Router())`: a router made in the call (the caller's `direct` decides what it makes).
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const made = direct(node, at);
      if (made !== undefined) out.push({ index, steps, value: made });
      return;
    }
    if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node))
      return;
    const value = direct(node, at);
    if (value !== undefined) {
      out.push({ index, steps, value });
      return;
    }
    slotHere(node);
    if (!ts.isIdentifier(node)) return;
    // `const deps = { router }; f(deps)`: the object (or array) the name holds.
    for (const d of project.lookup(at, node, node.text)) {
      const init =
        ts.isVariableDeclaration(d.node) && d.node.initializer ? unwrap(d.node.initializer) : undefined;
      if (init && (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init)))
        inside(init, index, steps, depth + 1, d.file);
    }
  };
  let position = 0;
  for (const argument of args) {
    if (!ts.isSpreadElement(argument)) {
      inside(argument, position++, [], 0);
      continue;
    }
    const spread = unwrap(argument.expression);
    if (ts.isArrayLiteralExpression(spread) && !spread.elements.some(ts.isSpreadElement)) {
      for (const element of spread.elements) inside(element, position++, [], 0);
      continue;
    }
    // `...args`: its elements, by index, from here on; what follows it has no known position.
    const slot = held && slotOf(project, file, spread);
    if (slot)
      for (const h of held(slot)) {
        const [first, ...rest] = h.steps;
        if (first && 'index' in first)
          out.push({ index: position + first.index, steps: rest, value: h.value });
      }
    break;
  }
  return out;
}
