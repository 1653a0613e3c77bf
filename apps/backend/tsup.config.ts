import { defineConfig } from 'tsup';
import { serviceConfig } from '../../tsup.shared.js';

export default defineConfig(serviceConfig);
