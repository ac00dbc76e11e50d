/*
 * The emulator's SOQL subset: parsed and answered as the org does, through jsforce's conn.query, with
 * the ECA objects derived from the stored metadata (so the policies record keeps the name the org gave).
 */
import { expect } from 'chai';
import { Org } from '@salesforce/core';
import { metadataFile, useEmulatorOrg } from '../support/emulator/index.js';
import { parseSoql, runSoql } from '../support/emulator/soql.js';

const header = metadataFile('ExternalClientApplication', [
  ['contactEmail', 'owner@example.com'],
  ['distributionState', 'Local'],
  ['isProtected', 'false'],
  ['label', 'My App'],
]);
const settings = metadataFile('ExtlClntAppOauthSettings', [
  ['commaSeparatedOauthScopes', 'Api'],
  ['externalClientApplication', 'MyApp'],
  ['label', 'MyApp OAuth'],
]);

describe('emulator SOQL', function () {
  this.timeout(30_000);

  describe('the subset (pure)', () => {
    const tables = (o: string) =>
      o === 'OauthToken'
        ? {
            fields: ['Id', 'AppName', 'LastUsedDate', 'UseCount', 'User'],
            records: [
              { Id: 't1', AppName: 'A', LastUsedDate: '2026-11-30T00:00:00.000+0000', UseCount: 5, User: { Username: 'a@x' } },
              { Id: 't2', AppName: 'B', LastUsedDate: '2025-01-01T00:00:00.000+0000', UseCount: 1, User: { Username: 'b@x' } },
            ],
          }
        : undefined;
    const now = Date.parse('2026-12-01T00:00:00Z');

    it('selects fields (nested for Rel.Field), filters with =, IN, dates and LAST_N_DAYS, orders and limits', () => {
      expect(runSoql("SELECT AppName, User.Username FROM OauthToken WHERE AppName IN ('A','C')", tables, now)).to.deep.equal([
        { attributes: { type: 'OauthToken', url: '/services/data/v66.0/sobjects/OauthToken/t1' }, AppName: 'A', User: { attributes: { type: 'User' }, Username: 'a@x' } },
      ]);
      expect(runSoql('SELECT Id FROM OauthToken WHERE LastUsedDate < LAST_N_DAYS:90', tables, now).map((r) => r.Id)).to.deep.equal(['t2']);
      expect(runSoql('SELECT Id FROM OauthToken WHERE LastUsedDate > 2026-01-01T00:00:00Z AND UseCount >= 5', tables, now).map((r) => r.Id)).to.deep.equal(['t1']);
      expect(runSoql('SELECT Id FROM OauthToken ORDER BY AppName DESC LIMIT 1', tables, now).map((r) => r.Id)).to.deep.equal(['t2']);
      expect(parseSoql("select id from X where Name != 'it''s'".replace("''", "\\'"))).to.deep.include({ object: 'X' });
    });

    it('nests Rel.Rel.Field as the REST API does, null for a missing relationship, and filters on many ids', () => {
      const grants = (o: string) =>
        o === 'SetupEntityAccess'
          ? {
              fields: ['Id', 'SetupEntityId', 'Parent'],
              records: [
                { Id: '0J01', SetupEntityId: 'A1', Parent: { Name: 'X00e', IsOwnedByProfile: true, Profile: { Name: 'Sales' } } },
                { Id: '0J02', SetupEntityId: 'A2', Parent: { Name: 'Ops', IsOwnedByProfile: false, Profile: null } },
              ],
            }
          : undefined;
      const ids = Array.from({ length: 200 }, (_, i) => `'A${i}'`).join(', ');
      const rows = runSoql(`SELECT SetupEntityId, Parent.Name, Parent.IsOwnedByProfile, Parent.Profile.Name FROM SetupEntityAccess WHERE SetupEntityId IN (${ids})`, grants);
      expect(rows.map((r) => r.Parent)).to.deep.equal([
        { attributes: { type: 'Parent' }, Name: 'X00e', IsOwnedByProfile: true, Profile: { attributes: { type: 'Profile' }, Name: 'Sales' } },
        { attributes: { type: 'Parent' }, Name: 'Ops', IsOwnedByProfile: false, Profile: null },
      ]);
    });

    it('answers an unknown object, an unknown field and a query outside the subset with the org\'s error codes', () => {
      expect(() => runSoql('SELECT Id FROM Nope', tables)).to.throw("sObject type 'Nope' is not supported.").with.property('errorCode', 'INVALID_TYPE');
      expect(() => runSoql('SELECT Bogus FROM OauthToken', tables)).to.throw("No such column 'Bogus'").with.property('errorCode', 'INVALID_FIELD');
      expect(() => runSoql('SELECT COUNT() FROM OauthToken', tables)).to.throw().with.property('errorCode', 'MALFORMED_QUERY');
    });
  });

  describe('through jsforce against the emulator', () => {
    const org = useEmulatorOrg();
    const conn = async () => (await Org.create({ aliasOrUsername: 'emu' })).getConnection();

    it('derives ExternalClientApplication and ExtlClntAppOauthPlcyCnfg from the metadata, with the generated policies name', async () => {
      org.emu.applyComponents([
        { type: 'ExternalClientApplication', fullName: 'MyApp', xml: header },
        { type: 'ExtlClntAppOauthSettings', fullName: 'MyApp_oauth', xml: settings },
      ]);
      const c = await conn();
      const apps = await c.query<{ Id: string; DeveloperName: string }>('SELECT Id, DeveloperName, NamespacePrefix FROM ExternalClientApplication');
      expect(apps.records.map((r) => r.DeveloperName)).to.deep.equal(['MyApp']);
      const policies = await c.query<Record<string, unknown>>(
        `SELECT DeveloperName, ExternalClientApplicationId, ExtlClntAppOauthSettingsId, PermittedUsersPolicyType FROM ExtlClntAppOauthPlcyCnfg WHERE ExternalClientApplicationId = '${apps.records[0]!.Id}'`
      );
      expect(policies.records).to.have.length(1);
      expect(policies.records[0]).to.include({
        DeveloperName: 'MyApp_oauth_defaultPolicy',
        ExternalClientApplicationId: apps.records[0]!.Id,
        ExtlClntAppOauthSettingsId: org.emu.component('ExtlClntAppOauthSettings', 'MyApp_oauth')!.id,
        PermittedUsersPolicyType: 'AllSelfAuthorized',
      });
      expect(org.emu.ops()).to.deep.equal(['query', 'query']);
    });

    it('returns the fixtures a test sets, and INVALID_TYPE for an object the org lacks', async () => {
      org.emu.setRecords('OauthToken', [{ Id: '0CQ1', AppName: 'MyApp', UseCount: 3, LastUsedDate: '2026-11-01T00:00:00.000+0000', UserId: '005A' }]);
      const c = await conn();
      expect((await c.query('SELECT AppName, UseCount FROM OauthToken')).records).to.have.length(1);
      org.emu.unsupportedObjects.add('ExtlClntAppOauthPlcyCnfg');
      const err = await c.query('SELECT Id FROM ExtlClntAppOauthPlcyCnfg').then(() => undefined, (e: Error) => e);
      expect(err?.name).to.equal('INVALID_TYPE');
    });

    it('refuses a component in another namespace than the org\'s, with the org\'s text', () => {
      const r = org.emu.applyComponents([{ type: 'ExtlClntAppOauthConfigurablePolicies', fullName: 'acme__App_oauth_defaultPolicy', xml: metadataFile('ExtlClntAppOauthConfigurablePolicies', [['externalClientApplication', 'acme__App'], ['label', 'x']]) }]);
      expect(JSON.stringify(r)).to.include('Cannot create a new component with the namespace: acme');
    });
  });
});
