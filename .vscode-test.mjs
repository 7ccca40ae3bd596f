// The integration suite under @vscode/test-cli, where desktop VS Code can be downloaded
// (`npx vscode-test` after `npm run build && npm run compile-tests`). Here it runs in code-server instead.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/suite/**/*.test.js',
  mocha: { ui: 'tdd', timeout: 30000 },
});
