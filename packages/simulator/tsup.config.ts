import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.shared.js';

export default defineConfig({
  ...libraryConfig,
  // index: the library; cli: the `lbpoc-sim` / `pnpm sim` entry (bin), which is not re-exported.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  removeNodeProtocol: false,
});
