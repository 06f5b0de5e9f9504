/**
 * Browser-test setup: serve the production build once on a free port for every browser test.
 * `npm test` builds first; a missing dist/ is reported rather than silently rebuilt.
 */
import type { TestProject } from 'vitest/node';
import { serveDist } from '../../scripts/serve.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { url, server } = await serveDist(0);
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
  };
}
