/*
 * The posture score: one number per app and per project (0–100) that a team can watch over time.
 *
 * Stable by construction, so that a change of score means a change of findings:
 *  - an app starts at 100 and loses, for each rule that reports on it, the weight of the rule's most severe
 *    finding there (error 20, warning 5, info 1): a rule counts once per app, so ten trusted IP ranges flagged by
 *    one rule cost what one does (the rule is the problem, not the count of elements);
 *  - waived findings cost nothing (the waiver is the team's decision, recorded with a reason);
 *  - the score never goes below 0;
 *  - the project's score is the mean of its apps' scores, rounded down (an app with no finding counts 100), and the
 *    lowest app is reported next to it, so a mean never hides one bad app.
 * A finding's class does not change its cost (it says how to fix, not how much it matters); it says how many
 * points are within reach: `safeGain` is what "sf eca fix" (safe fixes only) would win back, `breakingGain` what
 * "--include-breaking" would add.
 */
import type { Severity } from '../model/file.js';
import type { Finding } from './types.js';

export const SCORE_WEIGHTS: Readonly<Record<Severity, number>> = { error: 20, warning: 5, info: 1 };

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export type AppScore = {
  readonly app: string;
  /** 0–100. */
  readonly score: number;
  /** Points "sf eca fix" (safe fixes) would win back. */
  readonly safeGain: number;
  /** Further points "sf eca fix --include-breaking" would win back. */
  readonly breakingGain: number;
};

export type PostureScore = {
  /** The project's score: the mean of the apps' scores, rounded down (100 with no app). */
  readonly score: number;
  /** The lowest app's score (100 with no app). */
  readonly lowest: number;
  readonly apps: readonly AppScore[];
};

/** The score of each app (in the order given; apps only findings name are added after them) and of the project. */
export const postureScore = (findings: readonly Finding[], apps: readonly string[]): PostureScore => {
  // The unwaived findings of each app, by rule, in the order of the findings (one pass: linear in apps + findings).
  const byApp = new Map<string, Map<string, Finding[]>>();
  for (const app of apps) if (!byApp.has(app)) byApp.set(app, new Map());
  const extra: string[] = [];
  for (const f of findings) {
    let rules = byApp.get(f.app);
    if (!rules) {
      rules = new Map();
      byApp.set(f.app, rules);
      extra.push(f.app);
    }
    if (f.waived) continue;
    const list = rules.get(f.ruleId);
    if (list) list.push(f);
    else rules.set(f.ruleId, [f]);
  }
  const names = [...apps, ...extra];
  const scores = names.map((app): AppScore => {
    // The most severe unwaived finding of each rule on this app; for the gains, whether every finding of the rule has a fix of that class.
    const worst = byApp.get(app) as Map<string, Finding[]>;
    let penalty = 0;
    let safe = 0;
    let breaking = 0;
    for (const list of worst.values()) {
      const top = list.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
      const cost = SCORE_WEIGHTS[top.severity];
      penalty += cost;
      if (list.every((f) => f.fix?.class === 'safe')) safe += cost;
      else if (list.every((f) => f.fix !== undefined)) breaking += cost;
    }
    const after = (p: number): number => Math.max(0, 100 - p);
    const score = after(penalty);
    return { app, score, safeGain: after(penalty - safe) - score, breakingGain: after(penalty - safe - breaking) - after(penalty - safe) };
  });
  if (scores.length === 0) return { score: 100, lowest: 100, apps: [] };
  return {
    score: Math.floor(scores.reduce((s, a) => s + a.score, 0) / scores.length),
    lowest: scores.reduce((m, a) => Math.min(m, a.score), 100),
    apps: scores,
  };
};
