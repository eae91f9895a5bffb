import type { ScanResult } from '../scan.js';

export interface ReportOptions {
  version: string;
  color: boolean;
}

export type Formatter = (result: ScanResult, options: ReportOptions) => string;
