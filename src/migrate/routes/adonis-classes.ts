import ts from '../../typescript.cjs';
import type { Project, ProjectFile } from './project.js';

/** The method `name` of the class a module exports (by default, else its only class), with its body. */
export function classMethod(project: Project, file: ProjectFile, name: string): ts.Node | undefined {
  const classes: ts.ClassLikeDeclaration[] = [];
  for (const d of project.exportOf(file, 'default'))
    if (ts.isClassDeclaration(d.node) || ts.isClassExpression(d.node)) classes.push(d.node);
  if (!classes.length) {
    const all = file.sourceFile.statements.filter(ts.isClassDeclaration);
    if (all.length === 1 && all[0]) classes.push(all[0]);
  }
  for (const c of classes)
    for (const member of c.members)
      if (
        (ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member)) &&
        member.name &&
        (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) &&
        member.name.text === name
      )
        return member;
  return undefined;
}
