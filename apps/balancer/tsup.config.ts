import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { serviceConfig } from '../../tsup.shared.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({ ...serviceConfig, define: { __VERSION__: JSON.stringify(version) } });
