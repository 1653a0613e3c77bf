import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the library; cli: the `lbpoc-sim` / `pnpm sim` entry (bin), which is not re-exported.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  removeNodeProtocol: false,
});
