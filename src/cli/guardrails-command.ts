import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { loadConfig } from '../config/config.js';
import { UsageError } from '../discover/discover.js';
import { EMIT_FORMATS, emitGuardrails, type EmitFormat } from '../guardrails/emit.js';
import { loadYamlLibrary } from '../parse/yaml-library.js';
import type { CliIo } from './run.js';

/**
 * `invokeguard guardrails --emit terraform|cloudformation|json`: prints the recommended guardrail
 * set, with the org id, accounts and CIDRs of the config filled in and every other placeholder marked.
 */
export async function runGuardrailsCommand(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('invokeguard guardrails')
    .description('Print the recommended organisation guardrails: an SCP that stops every attack scenario, its attachment, and (terraform, cloudformation) the detective controls.')
    .addOption(new Option('--emit <format>', 'output format').choices([...EMIT_FORMATS]).makeOptionMandatory())
    .option('-c, --config <file>', 'config file whose orgId, accounts and cidrs fill the placeholders (default: .invokeguard.yml in the working directory)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  let options: { emit: EmitFormat; config?: string; output?: string };
  try {
    program.parse(argv, { from: 'user' });
    options = program.opts();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  try {
    const config = await loadConfig(options.config, [], process.cwd());
    await loadYamlLibrary(); // the CloudFormation output is written by the yaml library
    const text = emitGuardrails(options.emit, { ...(config?.orgId ? { orgId: config.orgId } : {}), accounts: config?.accounts ?? [], cidrs: config?.cidrs ?? [] });
    if (options.output) await writeFile(options.output, text);
    else io.stdout(text);
    return 0;
  } catch (error) {
    io.stderr(`invokeguard: ${error instanceof UsageError ? '' : 'internal error: '}${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
