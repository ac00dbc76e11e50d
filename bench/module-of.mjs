/** The module a V8 profile's script URL belongs to: a package, a Node built-in, or a file of the plugin (shared by the profile summaries). */
export const moduleOf = (url) => {
  if (!url) return '(v8/native)';
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/(lib|src|bench|bin)\/(.*)$/.exec(url);
  return m ? `plugin: ${m[1]}/${m[2]}` : url;
};
