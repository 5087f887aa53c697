/**
 * The compressor's rule stages and levels: which named rules each stage turns on, safest
 * first. The compressor walks them (a level, or `targetRatio` one stage at a time) and the
 * phrase planners check which rules are on; the list lives in its own module so the planners
 * can name the rules without importing the compressor, which imports them.
 */
import type { CompressionLevel } from '../../protocol/prompt';

export const COMPRESSION_LEVELS: readonly CompressionLevel[] = ['light', 'medium', 'aggressive'];

/**
 * Rule stages, safest first; each level is a prefix of the list ("light" = the first stage,
 * "medium" = the first two, "aggressive" = all). `--target-ratio` walks them one by one.
 */
export const STAGES = [
  { name: 'light', level: 'light', rules: ['politeness', 'repetition', 'doubledWords', 'whitespace'] },
  { name: 'medium', level: 'medium', rules: ['softConstraintClauses', 'genericRole', 'verbose', 'plainWord', 'ritual', 'demonstrative', 'imperativeLead', 'reducedRelative', 'shortForm', 'contraction', 'filler', 'dropPronoun', 'subjectPronoun', 'fragmentArticle', 'markdownEmphasis', 'listSpacing', 'headingEcho', 'headingCase', 'roleHeading', 'shortClause', 'negatedDeterminer'] },
  { name: 'aggressive: labels, filler, near-duplicates', level: 'aggressive', rules: ['inputLabel', 'fillerAggressive', 'nearDuplicate', 'seriesConjunction', 'metaSentence', 'aggressiveOpener'] },
  { name: 'aggressive: articles', level: 'aggressive', rules: ['article'] },
  { name: 'aggressive: auxiliaries, copulas', level: 'aggressive', rules: ['auxiliary', 'presentTense', 'copula', 'addresseeClitic'] },
  { name: 'aggressive: role copulas', level: 'aggressive', rules: ['roleCopula', 'roleLead'] },
  { name: 'aggressive: markdown markers, possessives', level: 'aggressive', rules: ['listMarker', 'headingLabel', 'possessive'] },
] as const satisfies ReadonlyArray<{ name: string; level: CompressionLevel; rules: readonly string[] }>;

export type CompressionRule = (typeof STAGES)[number]['rules'][number];

export function rulesUpTo(stageCount: number): Set<CompressionRule> {
  return new Set(STAGES.slice(0, stageCount).flatMap((s) => s.rules as readonly CompressionRule[]));
}

export function stagesForLevel(level: CompressionLevel): number {
  let n = 0;
  STAGES.forEach((s, i) => {
    if (COMPRESSION_LEVELS.indexOf(s.level) <= COMPRESSION_LEVELS.indexOf(level)) n = i + 1;
  });
  return n;
}
