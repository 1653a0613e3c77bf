import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.shared.js';

// ESM only: its one kind of user is an app bundled by tsup (serviceConfig), never a CJS require().
export default defineConfig({ ...libraryConfig, format: ['esm'] });
