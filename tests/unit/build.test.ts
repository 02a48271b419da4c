// npm run build refuses a bundled rules file that repeats a key (esbuild would keep the last silently).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBundledRules, BuildInputError } from '../../scripts/lib/build';

describe('build: the bundled rules file', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'rules-'));
    mkdirSync(path.join(root, 'config'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes the repository’s own config/rules.json', () => {
    // Act
    const check = () => checkBundledRules();

    // Assess
    expect(check).not.toThrow();
  });

  it('refuses a duplicated key, naming it and where it is', () => {
    // Prepare
    writeFileSync(path.join(root, 'config', 'rules.json'), '{"routes":[{"route":"GET /a","allow":[],"allow":["authenticated"]}]}');

    // Act
    const check = () => checkBundledRules(root);

    // Assess
    expect(check).toThrow(BuildInputError);
    expect(check).toThrow('config/rules.json: duplicate key "allow" in routes[0]');
  });

  it('refuses a file that is not JSON', () => {
    // Prepare
    writeFileSync(path.join(root, 'config', 'rules.json'), '{"routes": [');

    // Act
    const check = () => checkBundledRules(root);

    // Assess
    expect(check).toThrow(/^config\/rules\.json: /);
  });
});
