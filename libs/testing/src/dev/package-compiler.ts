import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** What one compilation of a package did. */
export interface CompileResult {
  /** Formatted errors; when there are any, nothing was written. */
  errors: string[];
  /** Output files whose content changed (.js, .js.map, .d.ts). */
  changedFiles: string[];
  /** Whether code the services run changed (a .js or its source map). */
  runtimeChanged: boolean;
  ms: number;
}

/**
 * `version` is how builder programs tell a changed file from an unchanged one; the watch API sets
 * it, the public typings leave it out.
 */
type VersionedSourceFile = ts.SourceFile & { version?: string };

interface CachedSource {
  stamp: string;
  file: VersionedSourceFile;
}

/**
 * Incremental, in-process `tsc -p tsconfig.build.json` for the workspace packages, the way
 * `tsc --watch` does it but driven by the caller: `compile(dir)` runs when the caller knows a
 * source changed and returns once every output is on disk, so a restart never sees half a dist.
 * NestJS needs `emitDecoratorMetadata`, hence the real compiler rather than a transpile-only one.
 *
 * Why one process: every package's program parses the same declaration files (@types/node,
 * NestJS, ...); a shared cache parses them once. A workspace file is re-read when its mtime or
 * size changes; anything under node_modules is taken as fixed for the session. A package with
 * type errors writes nothing (like `noEmitOnError`), so its running services keep the last good
 * build; the builder keeps the unwritten files pending and writes them once the errors are fixed.
 */
export class PackageCompiler {
  private readonly sources = new Map<string, CachedSource>();
  private readonly builders = new Map<string, ts.EmitAndSemanticDiagnosticsBuilderProgram>();

  /**
   * With `stateDir`, each package's builder state (file versions, signatures, errors) is kept
   * there between sessions, as `tsc --incremental` does, so a second `pnpm dev` re-checks only
   * what changed since; without it every session starts with a full check.
   */
  constructor(
    private readonly workspaceRoot: string,
    private readonly stateDir?: string,
  ) {}

  compile(packageDir: string): CompileResult {
    const startedAt = performance.now();
    const config = this.readConfig(packageDir);
    const host = ts.createCompilerHost(config.options);
    const changedFiles: string[] = [];
    host.getSourceFile = (fileName, languageVersion, onError) =>
      this.sourceFile(fileName, languageVersion, onError);
    host.writeFile = (fileName, text) => {
      // Unchanged outputs stay untouched: their mtime means nothing changed.
      if (fs.existsSync(fileName) && fs.readFileSync(fileName, 'utf8') === text) return;
      fs.mkdirSync(path.dirname(fileName), { recursive: true });
      fs.writeFileSync(fileName, text);
      changedFiles.push(fileName);
    };
    const builder = ts.createEmitAndSemanticDiagnosticsBuilderProgram(
      config.fileNames,
      config.options,
      host,
      this.builders.get(packageDir) ?? this.savedState(packageDir, config),
      ts.getConfigFileParsingDiagnostics(config),
    );
    this.builders.set(packageDir, builder);
    const diagnostics = [
      ...builder.getConfigFileParsingDiagnostics(),
      ...builder.getOptionsDiagnostics(),
      ...builder.getGlobalDiagnostics(),
      ...builder.getSyntacticDiagnostics(),
      ...builder.getSemanticDiagnostics(),
    ].filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (diagnostics.length === 0) builder.emit();
    return {
      errors: diagnostics.map((d) => this.format(d)),
      changedFiles,
      runtimeChanged: changedFiles.some((f) => f.endsWith('.js') || f.endsWith('.js.map')),
      ms: performance.now() - startedAt,
    };
  }

  /**
   * The state a previous session saved, unless the package's dist lost its entry point since
   * (a clean or a fresh clone): the state would claim outputs that are not there.
   */
  private savedState(
    packageDir: string,
    config: ts.ParsedCommandLine,
  ): ts.EmitAndSemanticDiagnosticsBuilderProgram | undefined {
    if (!config.options.tsBuildInfoFile) return undefined;
    const outDir = config.options.outDir ?? path.join(packageDir, 'dist');
    const hasOutput = ['index.js', 'main.js'].some((f) => fs.existsSync(path.join(outDir, f)));
    if (!hasOutput) return undefined;
    return ts.readBuilderProgram(config.options, {
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      getCurrentDirectory: () => packageDir,
      readFile: (f) => ts.sys.readFile(f),
    });
  }

  private readConfig(packageDir: string): ts.ParsedCommandLine {
    const configFile = path.join(packageDir, 'tsconfig.build.json');
    const config = ts.getParsedCommandLineOfConfigFile(
      configFile,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(`DEV_TSCONFIG_UNREADABLE: ${this.format(d)}`);
        },
      },
    );
    if (!config) throw new Error(`DEV_TSCONFIG_UNREADABLE: ${configFile}`);
    if (this.stateDir) {
      config.options.incremental = true;
      config.options.tsBuildInfoFile = path.join(
        this.stateDir,
        `${path.basename(path.dirname(packageDir))}-${path.basename(packageDir)}.tsbuildinfo`,
      );
    }
    return config;
  }

  private sourceFile(
    fileName: string,
    languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions,
    onError?: (message: string) => void,
  ): ts.SourceFile | undefined {
    const fixed = fileName.includes(`${path.sep}node_modules${path.sep}`);
    const cached = this.sources.get(fileName);
    if (cached && fixed) return cached.file;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(fileName);
    } catch {
      this.sources.delete(fileName);
      return undefined;
    }
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    if (cached?.stamp === stamp) return cached.file;
    let text: string;
    try {
      text = fs.readFileSync(fileName, 'utf8');
    } catch (error) {
      onError?.(error instanceof Error ? error.message : String(error));
      return undefined;
    }
    // The builder compares versions to find what changed; a content hash makes a save that
    // changed nothing cost nothing.
    const version = crypto.createHash('sha1').update(text).digest('hex');
    if (cached?.file.version === version) {
      this.sources.set(fileName, { stamp, file: cached.file });
      return cached.file;
    }
    const file: VersionedSourceFile = ts.createSourceFile(fileName, text, languageVersion);
    file.version = version;
    this.sources.set(fileName, { stamp, file });
    return file;
  }

  private format(diagnostic: ts.Diagnostic): string {
    return ts.formatDiagnostic(diagnostic, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => this.workspaceRoot,
      getNewLine: () => '\n',
    });
  }
}
