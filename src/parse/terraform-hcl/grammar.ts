import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let parserPromise: Promise<Parser> | undefined;

/** A file beside a package's entry point (both packages keep their WASM at the package root). */
function packageFile(entry: string, file: string): Buffer {
  return readFileSync(join(dirname(require.resolve(entry)), file));
}

/**
 * One shared tree-sitter parser for Terraform. The runtime and grammar WASM are
 * loaded from bytes (not URLs), which works the same under node, jest and a packed install.
 */
export function terraformParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    // Loaded on first use: most Terraform takes the fast path (fast-hcl.ts) and never needs it.
    const { Language, Parser } = await import('web-tree-sitter');
    const runtime = packageFile('web-tree-sitter', 'tree-sitter.wasm');
    await Parser.init({ wasmBinary: runtime } as object);
    const language = await Language.load(packageFile('@tree-sitter-grammars/tree-sitter-hcl/package.json', 'tree-sitter-terraform.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}
