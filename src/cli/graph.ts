import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../config/config.js';
import { invokerGraph } from '../graph/invokers.js';
import { GRAPH_RENDERERS, type GraphFormat } from '../graph/render.js';
import { loadModel } from '../scan.js';

export interface GraphOptions {
  format: GraphFormat;
  output?: string;
  config?: string;
}

/** `invokeguard graph`: discover → parse → model → who can invoke each function → rendered. */
export async function runGraph(paths: string[], options: GraphOptions, write: (text: string) => void): Promise<void> {
  const config = await loadConfig(options.config, paths, process.cwd());
  const { model } = await loadModel({ paths, config, ...(config?.maxFileBytes !== undefined ? { maxFileBytes: config.maxFileBytes } : {}) });
  const text = GRAPH_RENDERERS[options.format](invokerGraph(model));
  if (options.output) await writeFile(options.output, text);
  else write(text);
}
