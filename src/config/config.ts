import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Node, Pair } from 'yaml';
import { UsageError } from '../discover/discover.js';
import { PIPELINE_RULES, RULES } from '../rules/registry.js';
import { SEVERITIES, type Finding, type Severity } from '../rules/types.js';
import { loadYamlLibrary, yamlLibrary } from '../parse/yaml-library.js';

export const CONFIG_FILE_NAMES = ['.invokeguard.yml', '.invokeguard.yaml'] as const;

export interface RuleSetting {
  enabled: boolean;
  /** Replaces the rule's severity on every finding it reports. */
  severity?: Severity;
}

/** `.invokeguard.yml`, validated. Rules read `accounts`, `orgId` and `cidrs` from their context. */
export interface InvokeguardConfig {
  /** The file it was read from (absolute), for messages. */
  file: string;
  rules: Record<string, RuleSetting>;
  /** The organisation's own AWS account ids (12 digits). */
  accounts: string[];
  /** The AWS Organizations id (`o-…`). */
  orgId?: string;
  /** The organisation's own network ranges (CIDR). */
  cidrs: string[];
  /** gitignore-style globs, relative to each scanned folder; when given, only matching files are scanned. */
  include: string[];
  /** gitignore-style globs, relative to each scanned folder; matching files and folders are skipped. */
  exclude: string[];
  /** Files larger than this are skipped with IG901 (default 5 MiB; `--max-file-size` wins). */
  maxFileBytes?: number;
}

/** A config file that cannot be read, parsed or validated; the CLI exits 2 with its message. */
export class ConfigError extends UsageError {}

const ACCOUNT = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/;
const IPV6_CIDR = /^[0-9a-f:]*:[0-9a-f:.]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/i;

/** The config to use: `--config FILE` if given, else `.invokeguard.yml` in the scan root (first path's folder, or cwd). */
export async function loadConfig(explicit: string | undefined, paths: readonly string[], cwd: string): Promise<InvokeguardConfig | undefined> {
  if (explicit !== undefined) return readConfig(resolve(cwd, explicit));
  const first = paths[0] === undefined ? cwd : resolve(cwd, paths[0]);
  const root = (await stat(first).catch(() => undefined))?.isFile() ? dirname(first) : first;
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = join(root, name);
    if ((await stat(candidate).catch(() => undefined))?.isFile()) return readConfig(candidate);
  }
  return undefined;
}

export async function readConfig(file: string): Promise<InvokeguardConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  await loadYamlLibrary();
  return parseConfig(text, file);
}

/** Parses and strictly validates config text; every error names the file and the line. */
export function parseConfig(text: string, file: string): InvokeguardConfig {
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new ConfigError(`${file}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
  }
  const fail = (node: Node | Pair | null | undefined, message: string): never => {
    const offset = node && 'range' in node && node.range ? node.range[0] : node && 'key' in node && isScalar(node.key) && node.key.range ? node.key.range[0] : 0;
    throw new ConfigError(`${file}:${lineCounter.linePos(offset).line}: ${message}`);
  };
  const config: InvokeguardConfig = { file, rules: {}, accounts: [], cidrs: [], include: [], exclude: [] };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return config;
  if (!isMap(root)) return fail(root, 'the config must be a mapping of keys (rules, accounts, orgId, cidrs, include, exclude)');

  const stringList = (node: unknown, key: string, check?: (s: string, item: Node) => void): string[] => {
    if (!isSeq(node)) return fail(node as Node, `"${key}" must be a list`);
    return node.items.map((item) => {
      if (!isScalar(item) || (typeof item.value !== 'string' && typeof item.value !== 'number'))
        return fail(item as Node, `every entry of "${key}" must be a string`);
      // Numbers keep their source text, so an unquoted account id keeps its leading zeros.
      const value = typeof item.value === 'number' && item.range ? text.slice(item.range[0], item.range[1]).trim() : String(item.value);
      check?.(value, item);
      return value;
    });
  };

  const knownRules = new Set([...RULES.map((r) => r.meta.id), ...PIPELINE_RULES.map((r) => r.id)]);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const value = pair.value as Node | null;
    switch (key) {
      case 'rules':
        if (!isMap(value)) return fail(pair, '"rules" must map rule ids to off, on, or { severity, enabled }');
        for (const rulePair of value.items) {
          const id = isScalar(rulePair.key) ? String(rulePair.key.value) : '';
          if (!knownRules.has(id)) fail(rulePair, `unknown rule "${id}" in "rules" (known: ${[...knownRules].join(', ')})`);
          config.rules[id] = ruleSetting(rulePair.value as Node | null, id, fail);
        }
        break;
      case 'accounts':
        config.accounts = stringList(value, 'accounts', (s, item) => {
          if (!ACCOUNT.test(s)) fail(item, `"${s}" in "accounts" is not a 12-digit AWS account id`);
        });
        break;
      case 'orgId':
        if (!isScalar(value) || typeof value.value !== 'string' || !ORG_ID.test(value.value))
          return fail(value ?? pair, '"orgId" must be an AWS Organizations id such as o-a1b2c3d4e5');
        config.orgId = value.value;
        break;
      case 'cidrs':
        config.cidrs = stringList(value, 'cidrs', (s, item) => {
          if (!IPV4_CIDR.test(s) && !IPV6_CIDR.test(s)) fail(item, `"${s}" in "cidrs" is not a CIDR range such as 10.0.0.0/8`);
        });
        break;
      case 'include':
      case 'exclude':
        config[key] = stringList(value, key);
        break;
      case 'maxFileBytes':
        if (!isScalar(value) || typeof value.value !== 'number' || !Number.isInteger(value.value) || value.value <= 0)
          return fail(value ?? pair, '"maxFileBytes" must be a positive whole number of bytes');
        config.maxFileBytes = value.value;
        break;
      default:
        return fail(pair, `unknown key "${key}" (allowed: rules, accounts, orgId, cidrs, include, exclude, maxFileBytes)`);
    }
  }
  return config;
}

function ruleSetting(node: Node | null, id: string, fail: (node: Node | null, message: string) => never): RuleSetting {
  const { isMap, isScalar } = yamlLibrary();
  if (isScalar(node)) {
    if (node.value === 'off' || node.value === false) return { enabled: false };
    if (node.value === 'on' || node.value === true) return { enabled: true };
  }
  if (!isMap(node)) return fail(node, `rule ${id}: use off, on, or { severity: <${SEVERITIES.join('|')}>, enabled: true|false }`);
  const setting: RuleSetting = { enabled: true };
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (key === 'severity') {
      if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value))
        fail(pair.value as Node, `rule ${id}: severity must be one of ${SEVERITIES.join(', ')}`);
      setting.severity = value as Severity;
    } else if (key === 'enabled') {
      if (typeof value !== 'boolean') fail(pair.value as Node, `rule ${id}: enabled must be true or false`);
      setting.enabled = value as boolean;
    } else fail(pair.key as Node, `unknown key "${key}" in rule ${id} (allowed: severity, enabled)`);
  }
  return setting;
}

export function ruleEnabled(config: InvokeguardConfig | undefined, ruleId: string): boolean {
  return config?.rules[ruleId]?.enabled ?? true;
}

/** Drops findings of disabled rules and applies severity overrides. */
export function applyRuleSettings(findings: Finding[], config: InvokeguardConfig | undefined): Finding[] {
  if (!config) return findings;
  return findings
    .filter((f) => ruleEnabled(config, f.ruleId))
    .map((f) => {
      const severity = config.rules[f.ruleId]?.severity;
      return severity && severity !== f.severity ? { ...f, severity } : f;
    });
}
