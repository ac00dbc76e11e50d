// The plugin exposes its core as a library: the metadata model, the XML codec and project discovery.
export * from './core/xml/parse.js';
export * from './core/xml/edit.js';
export * from './core/model/schema.js';
export * from './core/model/file.js';
export * from './core/model/summary.js';
export * from './core/project/inventory.js';
export * from './core/rules/engine.js';
export * from './core/rules/fix.js';
export * from './core/rules/config.js';
export type * from './core/rules/types.js';
export * from './core/authoring/render.js';
export * from './core/authoring/templates.js';
export * from './core/authoring/set.js';
export * from './core/migrate/migrate.js';
export * from './core/sync/merge.js';
