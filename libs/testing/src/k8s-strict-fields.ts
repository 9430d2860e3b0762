import path from 'node:path';
import ts from 'typescript';
import type { K8sObject } from './k8s-render';
import { MODEL_TYPES, modelKey } from './k8s-schema';

/**
 * The schemas' validators accept fields they do not know (the OpenAPI document leaves
 * additionalProperties open), so a misspelt `readinesProbe` would pass them and be dropped by
 * the API server. The models' TypeScript types are closed: each object, written as an object
 * literal of its kind's type, is type-checked, and the compiler's excess-property check names
 * every unknown field, at any depth.
 */
export function unknownFieldErrors(objects: readonly K8sObject[]): string[] {
  const typed = objects.filter((object) => MODEL_TYPES[modelKey(object)] !== undefined);
  const imports = typed.map((object, i) => {
    const model = MODEL_TYPES[modelKey(object)]!;
    return `import type { ${model.type} as T${i} } from '${model.module}';`;
  });
  // One object per line, so a diagnostic's line names its object.
  const firstLine = imports.length;
  const declarations = typed.map(
    (object, i) => `export const o${i}: T${i} = ${JSON.stringify(object)};`,
  );
  const file = path.join(__dirname, '__rendered-k8s-objects__.ts');
  const source = [...imports, ...declarations].join('\n');

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, language)
      : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));

  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const object = typed[line - firstLine];
    return object ? `${object.kind}/${object.metadata.name}: ${message}` : message;
  });
}
