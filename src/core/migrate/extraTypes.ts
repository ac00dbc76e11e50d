/*
 * The SAML policies and canvas settings types a migration writes. They now live in the schema
 * (src/core/model/schema.ts), which list, show and check read; re-exported here for the migration.
 */
export { ExtlClntAppCanvasSettings, ExtlClntAppSamlConfigurablePolicies } from '../model/schema.js';
