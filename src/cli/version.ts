import { policyData } from '../policy-data.js';

/** The version from package.json (read as data, so it can never drift from the published one). */
export const VERSION: string = policyData<{ version: string }>('../package.json').version;
