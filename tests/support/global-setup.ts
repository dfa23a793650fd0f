/**
 * vitest globalSetup: one throwaway PostgreSQL server for the whole run, stopped and deleted after it.
 * Tests get its admin URL with `inject('postgresAdminUrl')` and make their own databases on it.
 */
import type { TestProject } from 'vitest/node';
import { startTestPostgres, type TestPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

let server: TestPostgres | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startTestPostgres();
  project.provide('postgresAdminUrl', server.adminUrl);
}

export async function teardown(): Promise<void> {
  await server?.destroy();
}
