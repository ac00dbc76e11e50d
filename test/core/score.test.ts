import { expect } from 'chai';
import { postureScore, SCORE_WEIGHTS } from '../../src/core/rules/score.js';
import type { Finding } from '../../src/core/rules/types.js';

const f = (app: string, ruleId: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  rule: ruleId.toLowerCase(),
  severity,
  category: 'policies',
  app,
  path: `${app}.xml`,
  line: 1,
  col: 1,
  message: 'm',
  ...extra,
});
const safeFix = { path: 'x', edits: [], description: 'd', class: 'safe' as const };
const breakingFix = { ...safeFix, class: 'breaking' as const };

describe('posture score (core/rules/score)', () => {
  it('starts at 100 and loses 20 per error, 5 per warning, 1 per info, a rule once per app at its worst', () => {
    expect(SCORE_WEIGHTS).to.deep.equal({ error: 20, warning: 5, info: 1 });
    const s = postureScore([f('A', 'R1', 'error'), f('A', 'R2', 'warning'), f('A', 'R2', 'warning'), f('A', 'R3', 'info'), f('A', 'R4', 'warning'), f('A', 'R4', 'error')], ['A', 'B']);
    expect(s.apps).to.deep.equal([
      { app: 'A', score: 100 - 20 - 5 - 1 - 20, safeGain: 0, breakingGain: 0 },
      { app: 'B', score: 100, safeGain: 0, breakingGain: 0 },
    ]);
    expect(s.score).to.equal(Math.floor((54 + 100) / 2));
    expect(s.lowest).to.equal(54);
  });

  it('waived findings cost nothing; the score stops at 0; no app is 100', () => {
    expect(postureScore([f('A', 'R1', 'error', { waived: { reason: 'accepted' } })], ['A']).score).to.equal(100);
    expect(postureScore(Array.from({ length: 7 }, (_, i) => f('A', `R${i}`, 'error')), ['A']).apps[0]?.score).to.equal(0);
    expect(postureScore([], [])).to.deep.equal({ score: 100, lowest: 100, apps: [] });
  });

  it('says what a safe fix and a breaking fix would win back', () => {
    const s = postureScore([f('A', 'R1', 'error', { fix: safeFix }), f('A', 'R2', 'warning', { fix: breakingFix }), f('A', 'R3', 'warning')], ['A']);
    expect(s.apps[0]).to.deep.equal({ app: 'A', score: 70, safeGain: 20, breakingGain: 5 });
  });

  it('is stable: the same findings in another order give the same score', () => {
    const list = [f('A', 'R1', 'error'), f('B', 'R2', 'warning'), f('A', 'R3', 'info'), f('(org settings)', 'R9', 'warning')];
    expect(postureScore([...list].reverse(), ['A', 'B'])).to.deep.equal(postureScore(list, ['A', 'B']));
    expect(postureScore(list, ['A', 'B']).apps.map((a) => a.app)).to.deep.equal(['A', 'B', '(org settings)']);
  });
});
