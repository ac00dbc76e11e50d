// Regenerates schemas/eca-migrate-plan.schema.json from src/core/migrate/planFile.ts: npm run schema (with the configuration schema)
import { writeFileSync } from 'node:fs';
import { PLAN_SCHEMA } from '../src/core/migrate/planFile.js';

writeFileSync(new URL('../schemas/eca-migrate-plan.schema.json', import.meta.url), `${JSON.stringify(PLAN_SCHEMA, null, 2)}\n`);
