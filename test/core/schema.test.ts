import { expect } from 'chai';
import { registry } from '@salesforce/source-deploy-retrieve';
import { ECA_FILE_KINDS } from '../../src/core/project/inventory.js';
import {
  ALL_TYPES,
  ECA_TYPES,
  canonicalEnumValue,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
  fieldAvailability,
  fieldOf,
  type FieldDef,
} from '../../src/core/model/schema.js';

describe('schema', () => {
  describe('agrees with the SDR metadata registry', () => {
    const sdrTypes = Object.values(registry.types);
    for (const type of ALL_TYPES) {
      it(`${type.name}: suffix .${type.suffix}, folder ${type.directory}`, () => {
        const sdr = sdrTypes.find((t) => t.name === type.name);
        expect(sdr, `SDR knows ${type.name}`).to.not.equal(undefined);
        expect(sdr?.suffix).to.equal(type.suffix);
        expect(sdr?.directoryName).to.equal(type.directory);
      });
    }
  });

  it('models every ECA type SDR knows (except the internal sample types), each as a file kind the inventory reads', () => {
    const sdrEca = Object.values(registry.types)
      .map((t) => t.name)
      .filter((n) => /^(ExternalClientApplication|ExtlClntApp)/.test(n) && !/Sample/.test(n))
      .sort();
    expect(ECA_TYPES.map((t) => t.name).sort()).to.deep.equal(sdrEca);
    expect([...ECA_FILE_KINDS].sort()).to.deep.equal(ECA_TYPES.map((t) => t.kind).sort());
    expect(new Set(ALL_TYPES.map((t) => t.kind)).size).to.equal(ALL_TYPES.length);
  });

  it('knows the documented API versions of the newer types', () => {
    const since = Object.fromEntries(ECA_TYPES.map((t) => [t.suffix, t.since]));
    expect(since).to.include({ ecaSamlPlcy: 63, ecaCanvas: 66, ecaMobile: 64, ecaMobilePlcy: 64, ecaNotifications: 64, ecaPush: 64, ecaPushPlcy: 64, ecaAttest: 67, ecaAttestPlcy: 67 });
  });

  it('lists fields in alphabetical order, as Salesforce writes them', () => {
    for (const type of ALL_TYPES) {
      const names = type.fields.map((f) => f.name.toLowerCase());
      expect(names, type.name).to.deep.equal([...names].sort());
    }
  });

  it('knows isNamedUserJwtEnabled in the policies only from 61 to 63', () => {
    const f = fieldOf(ExtlClntAppOauthConfigurablePolicies, 'isNamedUserJwtEnabled') as FieldDef;
    expect(fieldAvailability(f, 60)).to.equal('no');
    expect(fieldAvailability(f, 61)).to.equal('yes');
    expect(fieldAvailability(f, 63)).to.equal('yes');
    expect(fieldAvailability(f, 64)).to.equal('no');
  });

  it('treats a field the WSDL has before the docs as uncertain, and unconfirmed fields as uncertain', () => {
    const callback = fieldOf(ExtlClntAppGlobalOauthSettings, 'callbackUrl') as FieldDef;
    expect(fieldAvailability(callback, 58)).to.equal('uncertain');
    expect(fieldAvailability(callback, 57)).to.equal('no');
    expect(fieldAvailability(callback, 66)).to.equal('yes');
    const dpop = fieldOf(ExtlClntAppGlobalOauthSettings, 'isDPopEnabled') as FieldDef;
    expect(fieldAvailability(dpop, 66)).to.equal('uncertain');
  });

  it('matches ipRelaxationPolicyType without case, other enums exactly', () => {
    const ip = fieldOf(ExtlClntAppOauthConfigurablePolicies, 'ipRelaxationPolicyType') as FieldDef;
    expect(canonicalEnumValue(ip, 'Enforce_relaxrefresh')).to.equal('Enforce_RelaxRefresh');
    expect(canonicalEnumValue(ip, 'ENFORCE')).to.equal('Enforce');
    const refresh = fieldOf(ExtlClntAppOauthConfigurablePolicies, 'refreshTokenPolicyType') as FieldDef;
    expect(canonicalEnumValue(refresh, 'infinite')).to.equal(undefined);
    expect(canonicalEnumValue(refresh, 'Infinite')).to.equal('Infinite');
  });

  it('marks the consumer secret as a secret and the key as sensitive', () => {
    expect(fieldOf(ExtlClntAppGlobalOauthSettings, 'consumerSecret')?.secret).to.equal(true);
    expect(fieldOf(ExtlClntAppGlobalOauthSettings, 'consumerKey')?.sensitive).to.equal(true);
  });
});
