/**
 * Why each compressor rule removes what it removes, in plain words: the `reason` of every entry
 * of a compression's removal report (`removedSummary`), which `--target-ratio` and the CLI print
 * next to the rule name. Keyed by the rule names of compressor.ts (STAGES) plus the rules that
 * always run (repetition, whitespace).
 */
export const RULE_REASONS: Readonly<Record<string, string>> = {
  politeness: 'politeness carries no instruction',
  repetition: 'repeats an earlier sentence',
  whitespace: 'extra whitespace or punctuation',
  doubledWords: 'words typed twice in a row ("of the of the")',
  genericRole: 'a generic role sentence that a more specific role sentence follows',
  verbose: 'a wordy phrase with a shorter equivalent of the same meaning',
  plainWord: 'a plainer word of the same meaning that costs fewer tokens there ("Proporciona" opening a line is "Da")',
  presentTense: 'a future said in the present, which costs fewer tokens there (telegraphic: "Te daré" is "Te doy")',
  addresseeClitic: 'the reader\'s pronoun with a first-person verb of giving or telling (telegraphic: "Dou-te código" is "Dou código")',
  ritual: 'a ritual phrase that carries no instruction',
  demonstrative: '"the following X" says the same as "this X"',
  imperativeLead: 'an opener before an imperative ("You will write" is "Write")',
  auxiliary: 'a future auxiliary (telegraphic: "I will type" is "I type")',
  reducedRelative: 'a relative pronoun and copula before a participle',
  subjectPronoun: 'a subject pronoun before an imperative verb',
  inputLabel: 'an input label said shorter ("My first request is" is "First request:")',
  shortForm: 'a shorter form of the same words',
  contraction: 'a contraction of the same words',
  filler: 'a filler word that adds no meaning',
  fillerAggressive: 'a filler word or hedge (telegraphic)',
  dropPronoun: 'a subject pronoun the verb already marks',
  seriesConjunction: 'the conjunction closing a series (telegraphic)',
  metaSentence: 'a sentence that only asks to follow the instructions it closes (telegraphic)',
  article: 'an article (telegraphic)',
  fragmentArticle: 'an article in a list item, heading or label (fragments by convention)',
  copula: 'a copula before its complement (telegraphic)',
  roleCopula: 'a role opener "You are a" (telegraphic)',
  roleLead: 'a role imperative said with "to be" (telegraphic: "Actúa como intérprete" is "Sé intérprete")',
  aggressiveOpener: 'a sentence opener said shorter or dropped (telegraphic: "Por ejemplo," is "Ej.:")',
  negatedDeterminer: 'a determiner that repeats the negation before it ("No escribas ningún PRD" is "No escribas PRD")',
  shortClause: 'a recurring clause said in fewer words ("cuando necesite decirte algo" is "cuando te diga algo")',
  markdownEmphasis: 'markdown decoration that carries no structure',
  listSpacing: 'a blank line between two items of one list',
  headingEcho: 'a label that repeats its heading',
  listMarker: 'a bullet marker: the line break already makes the item (telegraphic)',
  headingLabel: 'a section heading written as a label ("# Steps" is "Steps:", telegraphic)',
  roleHeading: 'the heading of the role section at the top of the prompt, right before the role sentence that says the same',
  possessive: 'a possessive of the reader ("your answer" is "answer", telegraphic)',
  headingCase: 'a section heading in capitals costs more tokens than in normal case',
  articleAgreement: 'the article "a"/"an" made to agree with the word that now follows it',
  sentenceEnd: 'the end mark of a sentence whose courtesy or question lead went ("Can you list the files?" now reads "List the files.")',
};

/** The reason for `rule`, or the rule name itself for a rule without one. */
export function ruleReason(rule: string): string {
  return RULE_REASONS[rule] ?? rule;
}
