/* Templates across API versions: below the version a template needs it is refused with that version; a type the version lacks is never written. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateApp, validateGenerate, type GenerateOptions } from '../../src/core/authoring/templates.js';
import { PROJECT_ROOT } from '../support/helpers.js';

const certificate = readFileSync(join(PROJECT_ROOT, 'test/fixtures/certificate.pem'), 'utf8');
const base = (template: GenerateOptions['template'], apiVersion: number): GenerateOptions => ({
  name: 'App',
  template,
  contactEmail: 'o@example.com',
  callbackUrls: template === 'web-server' || template === 'public-client' ? ['https://a.example.com/cb'] : [],
  certificate: template === 'jwt-bearer' ? certificate : undefined,
  runAs: template === 'client-credentials' ? 'api@example.com' : undefined,
  permissionSets: ['P'],
  withPolicies: true,
  refreshInactivity: { period: 30, unit: 'Days' },
  apiVersion,
});

describe('templates across API versions', () => {
  for (const template of ['jwt-bearer', 'client-credentials', 'device'] as const) {
    it(`refuses ${template} at API 59 with the version it needs, accepts it at 60`, () => {
      const problems = validateGenerate(base(template, 59));
      expect(problems.map((p) => p.flag)).to.include('--api-version');
      expect(problems.find((p) => p.flag === '--api-version')?.message).to.include('needs API 60.0');
      expect(validateGenerate(base(template, 60)).filter((p) => p.flag === '--api-version')).to.deep.equal([]);
    });
  }

  it('never writes the plugin policies type (API 60) at API 59', () => {
    const files = generateApp(base('web-server', 59));
    expect(files.map((f) => f.type.name)).not.to.include('ExtlClntAppConfigurablePolicies');
    expect(generateApp(base('web-server', 60)).map((f) => f.type.name)).to.include('ExtlClntAppConfigurablePolicies');
  });
});
