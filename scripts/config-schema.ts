// Regenerates schemas/eca-config.schema.json from the rule catalog: npm run schema
import { writeFileSync } from 'node:fs';
import { buildConfigSchema } from '../src/core/rules/configSchema.js';

writeFileSync(new URL('../schemas/eca-config.schema.json', import.meta.url), `${JSON.stringify(buildConfigSchema(), null, 2)}\n`);
