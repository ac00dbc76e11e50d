// The floors the benchmark compares against: what any sf plugin must do for this job.
//   node bench/floor.mjs                  imports @salesforce/sf-plugins-core (the start-up of every SfCommand)
//   node bench/floor.mjs --read <dir>     ... then reads every .xml file under <dir> into a string
//   node bench/floor.mjs <dir>            ... then reads and parses every .xml file under <dir> with fast-xml-parser
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

await import('@salesforce/sf-plugins-core');
const readOnly = process.argv[2] === '--read';
const dir = process.argv[readOnly ? 3 : 2];
if (dir) {
  const parser = readOnly ? undefined : new (await import('fast-xml-parser')).XMLParser();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.xml')) {
        const text = readFileSync(p, 'utf8');
        if (parser) parser.parse(text);
      }
    }
  };
  walk(dir);
}
