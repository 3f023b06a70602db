/**
 * Which request parameters each action handler reads, found in the source with the TypeScript
 * compiler: every `p.X`, `p['X']` and `const { X } = p` on a handler's parameter object, followed
 * into the functions `p` is passed to (`planLaunch(ctx, p)`, `metadataOptionsFrom(p)`), through
 * handler factories (`authorize('ingress')`), and through dynamic keys whose type is a union of
 * string literals (`p[f]` over `RULE_FIELDS`) or that a caller passes as a literal. Keys it cannot
 * resolve (`p[\`Filter.${i}.Key\`]`) are reported as opaque, to be listed by hand.
 */
import ts from 'typescript';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Fn = ts.FunctionLikeDeclaration;

export interface HandlerReads {
  /** The module and the exported handler map (`instanceCreateActions`) the handler is in. */
  file: string;
  variable: string;
  action: string;
  /** Parameter names read, top level (`DataDisk`, `SystemDisk.Category`). */
  names: Set<string>;
  /** Reads whose key could not be resolved. */
  opaque: string[];
}

interface Found { names: Set<string>; opaque: string[]; dyn: Set<number> }

const actionsDir = fileURLToPath(new URL('../../src/actions/', import.meta.url));

/** What each handler of each `…Actions` object literal in src/actions and its subfolders reads. */
export function handlerReads(): HandlerReads[] {
  // Handlers live in subfolders too (src/actions/ram/**).
  const files = (readdirSync(actionsDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => actionsDir + f);
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: [],
  });
  const checker = program.getTypeChecker();
  const memo = new Map<string, Found>();

  const declOf = (expr: ts.Expression): Fn | undefined => {
    let sym = checker.getSymbolAtLocation(expr);
    if (!sym) return undefined;
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    for (const d of sym.declarations ?? []) {
      if (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d) || ts.isArrowFunction(d) || ts.isFunctionExpression(d)) return d;
      if ((ts.isVariableDeclaration(d) || ts.isPropertyAssignment(d)) && d.initializer
        && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) return d.initializer;
    }
    return undefined;
  };
  const returnedFn = (f: Fn | undefined): Fn | undefined => {
    let r: Fn | undefined;
    const visit = (n: ts.Node) => {
      if (r) return;
      if (ts.isReturnStatement(n) && n.expression && (ts.isArrowFunction(n.expression) || ts.isFunctionExpression(n.expression))) r = n.expression;
      else ts.forEachChild(n, visit);
    };
    if (f?.body) visit(f.body);
    return r;
  };
  /** The string literals an expression's type allows, or undefined when it is not a literal union. */
  const literals = (e: ts.Expression): string[] | undefined => {
    const t = checker.getTypeAtLocation(e);
    const parts = t.isUnion() ? t.types : [t];
    return parts.length > 0 && parts.every((x) => x.isStringLiteral()) ? parts.map((x) => (x as ts.StringLiteralType).value) : undefined;
  };

  const analyze = (fn: Fn, index: number): Found => {
    const key = `${fn.getSourceFile().fileName}:${fn.pos}:${index}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const res: Found = { names: new Set(), opaque: [], dyn: new Set() };
    memo.set(key, res);
    const param = fn.parameters[index];
    if (!param || !fn.body) return res;
    if (ts.isObjectBindingPattern(param.name)) {
      for (const el of param.name.elements) res.names.add((el.propertyName ?? el.name).getText());
      return res;
    }
    const aliases = new Set<ts.Symbol>([checker.getSymbolAtLocation(param.name)!]);
    const paramIndex = (id: ts.Identifier) => fn.parameters.findIndex((q) => ts.isIdentifier(q.name) && q.name.text === id.text);
    const where = (n: ts.Node) => `${n.getText().slice(0, 70)} (${fn.getSourceFile().fileName.split('/').pop()})`;
    const visit = (n: ts.Node) => {
      if (ts.isIdentifier(n) && aliases.has(checker.getSymbolAtLocation(n)!)) {
        const parent = n.parent;
        if (ts.isPropertyAccessExpression(parent) && parent.expression === n) {
          res.names.add(parent.name.text);
        } else if (ts.isElementAccessExpression(parent) && parent.expression === n) {
          const arg = parent.argumentExpression;
          const lits = literals(arg);
          if (lits) lits.forEach((x) => res.names.add(x));
          else if (ts.isIdentifier(arg) && paramIndex(arg) >= 0) res.dyn.add(paramIndex(arg));
          else res.opaque.push(where(parent));
        } else if (ts.isVariableDeclaration(parent) && parent.initializer === n) {
          if (ts.isObjectBindingPattern(parent.name)) for (const el of parent.name.elements) res.names.add((el.propertyName ?? el.name).getText());
          else if (ts.isIdentifier(parent.name)) aliases.add(checker.getSymbolAtLocation(parent.name)!);
        } else if (ts.isCallExpression(parent) && parent.arguments.includes(n)) {
          const callee = declOf(parent.expression);
          if (!callee) res.opaque.push(where(parent));
          else {
            const r = analyze(callee, parent.arguments.indexOf(n));
            r.names.forEach((x) => res.names.add(x));
            res.opaque.push(...r.opaque);
            for (const k of r.dyn) {
              const a = parent.arguments[k];
              const lits = a ? literals(a) : undefined;
              if (lits) lits.forEach((x) => res.names.add(x));
              else if (a && ts.isIdentifier(a) && paramIndex(a) >= 0) res.dyn.add(paramIndex(a));
              else res.opaque.push(where(parent));
            }
          }
        } else if (!ts.isParameter(parent)) {
          res.opaque.push(where(parent));
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
    return res;
  };

  const out: HandlerReads[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(actionsDir)) continue;
    // A map is an object literal, or one passed to a typed-map builder (`ecsHandlers({ … })`), also when spread into another.
    const mapLiteral = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined =>
      !e ? undefined : ts.isObjectLiteralExpression(e) ? e
        : ts.isCallExpression(e) && e.arguments.length === 1 && ts.isObjectLiteralExpression(e.arguments[0]!) ? e.arguments[0] : undefined;
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && /Actions$/.test(n.name.text) && mapLiteral(n.initializer)) {
        const props = (lit: ts.ObjectLiteralExpression): ts.ObjectLiteralElementLike[] =>
          lit.properties.flatMap((prop) => (ts.isSpreadAssignment(prop) && mapLiteral(prop.expression) ? props(mapLiteral(prop.expression)!) : [prop]));
        for (const prop of props(mapLiteral(n.initializer)!)) {
          let fn: Fn | undefined;
          if (ts.isMethodDeclaration(prop)) fn = prop;
          else if (ts.isPropertyAssignment(prop)) {
            const init = prop.initializer;
            fn = ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? init
              : ts.isCallExpression(init) ? returnedFn(declOf(init.expression)) : declOf(init);
          } else if (ts.isShorthandPropertyAssignment(prop)) fn = declOf(prop.name);
          if (!fn || !prop.name) continue;
          const r = analyze(fn, 1);
          out.push({ file: sf.fileName, variable: n.name.text, action: prop.name.getText(), names: new Set(r.names), opaque: [...new Set(r.opaque)] });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}
