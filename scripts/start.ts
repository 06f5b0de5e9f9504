/**
 * `npm start`: build the production bundle, then serve it on localhost (PORT, default 4173).
 */
import { spawnSync } from 'node:child_process';
import { continueDemoCatalogue, ensureDemoCatalogue } from './demo-catalogue.ts';
import { ROOT, serveDist } from './serve.ts';

const DEFAULT_PORT = 4173;

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`PORT must be a whole number between 1 and 65535 (got "${raw}").`);
    process.exit(2);
  }
  return port;
}

const port = parsePort(process.env.PORT);
const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const demoRest = ensureDemoCatalogue();

try {
  const { url } = await serveDist(port);
  console.log(`\nDrishti is running at ${url}/  (engine panel: ${url}/engine)\nPress Ctrl+C to stop.`);
  continueDemoCatalogue(demoRest);
} catch (err) {
  console.error(`Could not start the server on port ${port}: ${(err as Error).message}`);
  process.exit(1);
}
