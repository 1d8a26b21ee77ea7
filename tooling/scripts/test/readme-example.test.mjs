import { describe, expect, it } from 'vitest';
import { extractExample, importedPackages } from '../src/readme-example.mjs';

describe('extractExample', () => {
  it('takes the fenced block right after the marker', () => {
    const md = ['# pkg', '```ts', 'ignored()', '```', '<!-- example -->', '', '```ts', "import '@plexus/backend-js';", 'run();', '```', ''].join('\n');
    expect(extractExample(md)).toBe("import '@plexus/backend-js';\nrun();\n");
  });

  it('returns null without a marker or with an unterminated block', () => {
    expect(extractExample('# pkg\n```ts\nx\n```\n')).toBeNull();
    expect(extractExample('<!-- example -->\n```js\nx\n')).toBeNull();
  });
});

describe('importedPackages', () => {
  it('lists bare package names, not relative or node: imports', () => {
    const code = [
      "import '@plexus/backend-js';",
      "import { tensor } from '@plexus/tensor';",
      "import { grad } from \"@plexus/autograd/sub\";",
      "const m = await import('lodash/fp');",
      "import fs from 'node:fs';",
      "import x from './x.js';",
    ].join('\n');
    expect(importedPackages(code)).toEqual(['@plexus/autograd', '@plexus/backend-js', '@plexus/tensor', 'lodash']);
  });
});
