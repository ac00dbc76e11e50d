// The plugin exposes its core as a library: the metadata model, the XML codec and project discovery.
export * from './core/xml/parse.js';
export * from './core/xml/edit.js';
export * from './core/model/schema.js';
export * from './core/model/file.js';
export * from './core/model/summary.js';
export * from './core/project/inventory.js';
