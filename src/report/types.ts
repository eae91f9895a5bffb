import type { ScanResult } from '../scan.js';

export interface ReportOptions {
  version: string;
  color: boolean;
  /** Absolute `file:` URI of the folder result paths are relative to (SARIF's %SRCROOT%); omitted → not stated. */
  srcRoot?: string;
  /** URL prefix that a result's relative path is appended to for links (markdown), e.g. a blob URL at a commit. */
  linkBase?: string;
  /** List suppressed findings (with their reasons), not only count them. SARIF always includes them, marked suppressed. */
  showSuppressed?: boolean;
}

export type Formatter = (result: ScanResult, options: ReportOptions) => string;
