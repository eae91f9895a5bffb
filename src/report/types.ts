import type { ScanResult } from '../scan.js';

export interface ReportOptions {
  version: string;
  color: boolean;
  /** Absolute `file:` URI of the folder result paths are relative to (SARIF's %SRCROOT%); omitted → not stated. */
  srcRoot?: string;
  /** URL prefix that a result's relative path is appended to for links (markdown), e.g. a blob URL at a commit. */
  linkBase?: string;
}

export type Formatter = (result: ScanResult, options: ReportOptions) => string;
