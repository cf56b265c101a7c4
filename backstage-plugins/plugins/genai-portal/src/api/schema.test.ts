/**
 * @jest-environment node
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

// CI fails when the checked-in types drift from the portal's OpenAPI document.
describe('src/api/schema.ts', () => {
  it('matches the OpenAPI document of the portal API', () => {
    const script = resolve(__dirname, '../../scripts/openapi-types.mjs');
    let output = '';
    try {
      output = execFileSync(process.execPath, [script, 'check'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error: any) {
      throw new Error(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
    expect(output).toContain('matches the portal API');
  }, 60_000);
});
