import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../recording/stackFile";
import { GENERATED_MARK } from "../scripts/bindings/codegen";

/*
 * Components and the shared ground publish only what the program uses: every export of components/ and lib/
 * is used by production code (its own module included), never by tests alone. Production is the import
 * graph of the program's entry points, the scripts, the automation commands and the policy pack.
 */

const ENTRY_POINTS = /^(index\.ts|platform\.ts|(scripts|automation|policy)\/.*\.ts)$/;
const PUBLISHERS = /^(components|lib)\//;

function productionProgram(): { program: ts.Program; production: ts.SourceFile[] } {
  const configFile = ts.readConfigFile(path.join(PROJECT_ROOT, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, PROJECT_ROOT);
  const rel = (file: string) => path.relative(PROJECT_ROOT, file).split(path.sep).join("/");
  const roots = parsed.fileNames.filter((f) => ENTRY_POINTS.test(rel(f)));
  const program = ts.createProgram(roots, parsed.options);
  const seen = new Set<string>();
  const pending = [...roots.map((f) => path.resolve(f))];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = program.getSourceFile(file)!;
    for (const specifier of moduleSpecifiers(source)) {
      const resolved = ts.resolveModuleName(specifier, file, parsed.options, ts.sys).resolvedModule;
      if (resolved !== undefined && !resolved.isExternalLibraryImport)
        pending.push(path.resolve(resolved.resolvedFileName));
    }
  }
  return { program, production: [...seen].map((f) => program.getSourceFile(f)!) };
}

function moduleSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined)
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      specifiers.push((node.arguments[0] as ts.StringLiteral).text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.filter((s) => s.startsWith("."));
}

/** The symbols production code refers to: every identifier that is not the name of its own declaration. */
function usedSymbols(checker: ts.TypeChecker, files: ts.SourceFile[]): Set<ts.Symbol> {
  const used = new Set<ts.Symbol>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isDeclarationName(node)) {
      let symbol = checker.getSymbolAtLocation(node);
      if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias)
        symbol = checker.getAliasedSymbol(symbol);
      if (symbol !== undefined) used.add(symbol);
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) visit(file);
  return used;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent as ts.Node & { name?: ts.Node };
  return (ts.isDeclarationStatement(parent) || ts.isVariableDeclaration(parent)) && parent.name === node;
}

describe("exports: used by the program", () => {
  it("every export of components/ and lib/ is used by production code, not by tests alone", function () {
    this.timeout(120_000);
    const { program, production } = productionProgram();
    const checker = program.getTypeChecker();
    const used = usedSymbols(checker, production);
    const publishers = production.filter((f) => {
      const rel = path.relative(PROJECT_ROOT, f.fileName).split(path.sep).join("/");
      return PUBLISHERS.test(rel) && !fs.readFileSync(f.fileName, "utf8").startsWith(GENERATED_MARK);
    });
    assert.ok(publishers.length > 20, "components/ and lib/ are part of the program");
    const unused = publishers.flatMap((file) => {
      const moduleSymbol = checker.getSymbolAtLocation(file);
      if (moduleSymbol === undefined) return [];
      return checker
        .getExportsOfModule(moduleSymbol)
        .filter((s) => !(s.flags & ts.SymbolFlags.Alias) && !used.has(s))
        .map((s) => `${path.relative(PROJECT_ROOT, file.fileName)}: ${s.name}`);
    });
    assert.deepEqual(unused, [], "delete these exports, or use them from the program");
  });
});
