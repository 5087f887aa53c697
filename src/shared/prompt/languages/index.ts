/**
 * Language packs: the phrase lists the analyzer, compressor, distiller and optimizer use,
 * kept as data (one JSON file per language) so a language is added by adding a file and
 * one line here, never by adding code branches. Each pack is validated when it loads, so
 * a malformed file fails loudly at start-up rather than silently matching nothing.
 */
import { otherLatinLanguage } from '../otherLanguages';
import { cjkLanguage } from '../scripts';
import { z } from 'zod';
import en from './en.json';
import es from './es.json';
import pt from './pt.json';

const phraseList = z.array(z.string().min(1)).max(2000);

export const LanguagePackSchema = z.object({
  code: z.string().regex(/^[a-z]{2,3}$/),
  name: z.string().min(1),
  detection: z.object({ words: phraseList, characters: z.array(z.string()) }),
  politeness: phraseList,
  filler: phraseList,
  fillerAggressive: phraseList,
  /**
   * Compressor only, from the medium level: intensifying adverbs and "Note:" labels. Kept apart
   * from `filler`, which the analyzer's diagnostics also report.
   */
  fillerAdverbs: phraseList.default([]),
  /**
   * Fixed expressions that hold a filler word, which then stays: "rather than" (not "than"),
   * "quite a few" (not "a few", which says less), "would rather" ("I would rather you…" is not
   * "I'd you…"), es "en realidad virtual" (a noun phrase, not the filler "en realidad").
   */
  fillerFixed: phraseList.default([]),
  /**
   * `filler` entries that are filler only as a sentence adverb (es "de hecho", pt "de fato": "in
   * fact"; en "at the end of the day": "ultimately"). Right after a noun or a verb they are part of a
   * term or a time ("pareja de hecho", "união de fato", "estado de hecho", "the tasks I completed at
   * the end of the day"), so one goes only where it opens a clause (text or line start, after
   * punctuation) or follows a word of `adverbialHosts` (a verb, pronoun or conjunction: "es de hecho",
   * "e de fato", "but at the end of the day").
   */
  adverbialFillers: phraseList.default([]),
  adverbialHosts: phraseList.default([]),
  /**
   * The `fillerAggressive` entries that are adjectives ("helpful", "knowledgeable"). They go only
   * where they stand before their noun ("a helpful assistant" → "an assistant"), never as a
   * predicate: not after a word of `adjectiveKeepAfter` ("be helpful to", "both informative and",
   * "concise and helpful.") nor before one of `adjectiveKeepBefore` ("knowledgeable about").
   */
  adjectiveFillers: phraseList.default([]),
  adjectiveKeepAfter: phraseList.default([]),
  adjectiveKeepBefore: phraseList.default([]),
  /**
   * Compressor only, from the medium level: ritual phrases that carry no instruction ("take a
   * deep breath and", "as an AI language model,"). Removed whole, reported as `ritual`.
   */
  ritual: phraseList.default([]),
  /**
   * How a `politeness` phrase that asks a question starts ("can you", "could you"): once it goes
   * from a sentence start, the sentence is an instruction, so its "?" becomes "." ("Can you please
   * provide a suggestion?" → "Provide a suggestion.").
   */
  questionLeads: phraseList.default([]),
  /**
   * Compressor only, from the medium level: wordy → concise equivalents that keep the meaning
   * ("along with" → "with"). Applied with `verbose` in one pass (longest phrase first); kept
   * apart because the analyzer reports `verbose` phrases as diagnostics and these are not judged there.
   */
  concise: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  /**
   * Aggressive level: a future auxiliary with its subject → the bare subject, before a verb that
   * is not a blocker (`imperativeBlockers`): "I will type commands and you will reply" → "I type
   * commands and you reply".
   */
  auxiliaries: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  /**
   * Aggressive level, pro-drop languages: a third-person future auxiliary before an infinitive
   * becomes the present of that verb ("você vai usar" → "você usa", "irá criar" → "cria"), the
   * counterpart of `auxiliaries`. `presentEndings` turns the infinitive's ending into the present
   * (longest ending first: "guir" → "gue" before "ir" → "e"); `presentForms` lists the verbs
   * whose present no ending rule gives ("fazer" → "faz", "ler" → "lê"); `imperativeBlockers`
   * ("ser", "ter", a clitic) and `futureBlockers` (words with a verb's ending that are no verb:
   * "vai para casa") keep the auxiliary.
   */
  futureAuxiliaries: phraseList.default([]),
  futureBlockers: phraseList.default([]),
  /**
   * Medium level (es): "ir a" + an infinitive, said with the synthetic future of the same person ("Voy a enviarte" →
   * "Te enviaré", "va a generar" → "generará"), one token shorter. `goingToFutures` pairs each form of the auxiliary
   * with the future's ending; `futureStems` gives the stem of the verbs whose future is not built on the infinitive
   * (matched as the infinitive's ending, longest first: "tener" → "tendr" also makes "obtener" → "obtendr"; a verb
   * listed with itself is regular); `goingToBlockers` are words with an infinitive's ending that are no verb ("lugar").
   */
  goingToFutures: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  futureStems: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  goingToBlockers: phraseList.default([]),
  /**
   * Medium level: a wordy connector that opens a sentence → a shorter one of the same meaning ("A continuación," →
   * "Luego,", "Em seguida," → "Depois,"). Only at a sentence start: inside one the phrase may mean something else
   * ("la lista a continuación" is "the list below").
   */
  sentenceOpeners: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  /**
   * Medium level (session 48): a word or phrase → a plainer one of the same meaning ("proporciona" → "da", "utilize" →
   * "use", "related to" → "about"), written only where the o200k tokenizer (gpt-4o's) spends fewer tokens on it in its
   * place: with the space or line start before it and its capital ("Proporciona" opening a line is 3 tokens, "Da" 1;
   * " proporciona" mid-sentence is 1 token either way and stays). A phrase whose meaning depends on what it follows is
   * listed with it: "topics related to" → "topics about", while "only tangentially related to" is not "about".
   */
  plainWords: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  /**
   * Aggressive level (session 48): a future form → the present, which a prompt reads the same ("Te daré código" → "Te
   * doy código", pt "vou fazer" → "faço"), only where the o200k tokenizer spends fewer tokens on the present in its
   * place (as `plainWords`). An entry of two words (pt "vou" + infinitive) is left where another infinitive of the same
   * sentence may share its auxiliary ("vou ler e resumir").
   */
  presentTense: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  /**
   * Aggressive level (es, pt; session 49): the pronoun of the reader ("te", "le", pt "lhe") given with a verb in the
   * first person singular of giving or telling ("Te daré el texto" → "Doy el texto", pt "Dar-te-ei mensagens" → "Dou
   * mensagens"): the prompt's reader is whom the writer gives or tells things to, so a telegraphic prompt says it once.
   * `addresseeClitics` are the pronouns, `addresseeVerbs` the first-person forms (indicative only: a subjunctive "que
   * te pregunte" is the third person's too); a pt pronoun joined by a hyphen ("dou-te", "dar-te-ei") goes the same way.
   */
  addresseeClitics: phraseList.default([]),
  addresseeVerbs: phraseList.default([]),
  /**
   * Aggressive level (es, pt; session 50): an imperative that opens a sentence and gives the reader a role → the
   * imperative of "to be" ("Actúa como intérprete de Python." → "Sé intérprete de Python.", pt "Atue como tradutor" →
   * "Seja tradutor"): a role prompt says the same either way. Only at a sentence start (mid-sentence "actúa como" is also
   * the third person, "él actúa como mediador") and only before a word that is not in `roleLeadBlockers` ("Actúa como si
   * fueras…", "como lo haría…"), where o200k spends fewer tokens on it. A longer phrase that another rule already writes as a role
   * lead ("Quiero que desempeñes el papel de un" → "Actúa como") takes the short form instead.
   */
  roleLeads: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  roleLeadBlockers: phraseList.default([]),
  /**
   * Aggressive level (es, pt; session 50): a connector or subject that opens a sentence → its telegraphic form or
   * nothing ("Por ejemplo," → "Ej.:", "Para empezar," → "", "Esto puede incluir" → "Puede incluir"), where o200k spends
   * fewer tokens on it. Only at a sentence start, like `sentenceOpeners`.
   */
  aggressiveOpeners: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  /**
   * Medium level (es, pt; session 50): a determiner that only repeats the negation before it in the same clause
   * ("No escribas ningún PRD" → "No escribas PRD", pt "Não incluas quaisquer explicações" → "Não incluas explicações").
   */
  negatedDeterminers: phraseList.default([]),
  /**
   * Medium level (es, pt; session 50): a recurring clause said in fewer words with the same meaning ("cuando
   * necesite decirte algo" → "cuando te diga algo", pt "vou fazer isso colocando" → "coloco"), where o200k spends fewer
   * tokens on it; only before a word. Planned before the present tense and the reader's pronoun, which would take part
   * of the phrase.
   */
  shortClauses: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  /**
   * Medium level (pt; session 51): a mesoclitic future → "ir" + the infinitive with its pronoun after it, where o200k
   * spends fewer tokens on it ("Dar-te-ei um nome" → "Vou dar-te um nome", "traduzi-las-ás" → "vais traduzi-las"):
   * `endings` maps the future's ending to the form of "ir"; `stems` the irregular future stems to their infinitive
   * ("dir-me-á" → "vai dizer-me"); a stem of `loStemsKept` before "-lo"/"-la" is left alone ("fá-lo-ei" is "vou
   * fazê-lo", not "vou fá-lo").
   */
  mesocliticFutures: z
    .object({
      endings: z.array(z.tuple([z.string().min(1), z.string().min(1)])),
      clitics: phraseList,
      stems: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
      loStemsKept: phraseList.default([]),
    })
    .optional(),
  /**
   * Medium level (es, pt): an announcement of the task → its short form, only before an infinitive ("tu trabajo será
   * idear" → "debes idear", "a sua função é fornecer" → "fornecer"); before anything else it is a statement about the
   * work ("o seu trabalho será avaliado") and stays.
   */
  taskLeads: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  /**
   * Aggressive level: an input label written as a sentence, "my first <noun…> is" → "First <noun…>:" ("Mi primera
   * solicitud de sugerencia es "…"" → "Primera solicitud de sugerencia: "…""), for the nouns no `verboseAggressive`
   * entry lists. `labelLeads` are the possessive and ordinal ("mi primera"; the ordinal is the last word), `labelCopulas`
   * the verb that ends the label ("es"), `labelBlockers` the words after it that start a clause, not an input ("que").
   */
  labelLeads: phraseList.default([]),
  labelCopulas: phraseList.default([]),
  labelBlockers: phraseList.default([]),
  presentEndings: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  presentForms: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  /** Aggressive level: copulas dropped between a noun and its complement ("the argument is clear" → "argument clear"). */
  copulas: phraseList.default([]),
  /** Words before a copula that keep it (pronouns, question words: "it is", "what is"). */
  copulaKeepAfter: phraseList.default([]),
  /** Words after a copula that keep it ("is not", "is to", "are the"). */
  copulaKeepBefore: phraseList.default([]),
  /** Endings of the word after a copula that make it a complement the copula can leave ("is free" no, "is structured", "are optional"). */
  copulaComplementEndings: phraseList.default([]),
  /**
   * Medium level: a pointing phrase → a demonstrative, singular or plural after the noun that
   * follows ("the following format" → "this format", "the following steps" → "these steps").
   */
  demonstratives: z.array(z.tuple([z.string().min(1), z.string().min(1), z.string().min(1)])).default([]),
  /**
   * Words that may follow the noun of "the following X": the rewrite happens only when the noun
   * is one word followed by punctuation or one of these, so its number is known ("the following
   * key points" stays: "key" is no noun to count).
   */
  demonstrativeNounEnds: phraseList.default([]),
  verbose: z.array(z.tuple([z.string().min(1), z.string()])),
  /**
   * Compressor only: `verbose` phrases whose short form depends on the noun after them. Each maps
   * a class of that noun to the short form ("a lot of" → "many" before a plural, "much" before a
   * mass noun; es "un montón de" → "muchos"/"muchas" by gender). With no class, or one the entry
   * does not list, the phrase stays as written: "many detail" is worse than no change.
   */
  quantities: z.array(z.tuple([z.string().min(1), z.record(z.string(), z.string())])).default([]),
  /**
   * The noun classes for `quantities`: a whole word ("people" → plural, "information" → mass) or,
   * written with a leading "-", an ending ("-s" → plural, "-ss" → '' for "progress": not one).
   * A word's own entry wins over endings; the longest ending wins; '' means "do not know".
   */
  quantityNouns: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  /** Rewrites applied only at the aggressive level (contractions and the like). */
  verboseAggressive: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  /**
   * Compressor only, from the medium level, where a word follows: short forms the analyzer does
   * not report ("verify that the…" → "verify the…", "and/or" → "or").
   */
  shortForms: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  /** Contractions ("I will" → "I'll"), applied from the medium level where a word follows. */
  contractions: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
  /** A contraction stays written out before these words: a modal there stands for an elided verb ("like you would for a talk"). */
  contractionKeepBefore: phraseList.default([]),
  /** Aggressive level: sentences that only ask to follow the prompt's instructions (lower case, no end mark), dropped whole. */
  metaSentences: phraseList.default([]),
  /** Sentence openers ("You will", "You should") dropped when an imperative verb follows: "You will write" → "Write". */
  imperativeLeads: phraseList.default([]),
  /** Words after an opener that block the drop ("You will be given" stays). */
  imperativeBlockers: phraseList.default([]),
  /**
   * Languages whose opener leaves an infinitive (pt "Você vai escrever" → "Escrever"): the endings of an infinitive, and
   * of its stem before a hyphenated pronoun ("enviá-la", "fazê-lo", "traduzi-lo"). When set, an opener goes only before
   * a word with one: "Você precisa de mais detalhes" and "Você vai bem" keep theirs.
   */
  infinitiveEndings: phraseList.default([]),
  infinitiveCliticStems: phraseList.default([]),
  /**
   * Prepositions that govern an infinitive (es "de", pt "para"): a filler that ends in one ("asegúrate de", "fique à
   * vontade para") leaves a bare infinitive, which reads as the instruction only at a sentence start ("Asegúrate de
   * incluir" → "Incluir"); inside a sentence it stays ("y asegúrate de incluir", not "y incluir"). Needs `infinitiveEndings`.
   */
  infinitivePrepositions: phraseList.default([]),
  /**
   * Languages whose indefinite article follows the sound of the next word (en "a"/"an"): after an
   * edit between the article and its noun ("an absolutely positioned" → "an positioned") the
   * article must still agree. `unsureStarts` are beginnings whose first sound the letter does not
   * tell ("hour"/"house", "user"/"under", "one"); before those the edit is not made.
   */
  indefiniteArticles: z.object({ consonant: z.string().min(1), vowel: z.string().min(1), unsureStarts: phraseList }).optional(),
  /** Aggressive level: articles dropped outside protected spans (telegraphic style), lower-case only. */
  articles: phraseList.default([]),
  /**
   * Aggressive level: possessive determiners of the reader ("your answer" → "answer"; es "tu", pt "seu"/"sua") dropped like
   * articles (telegraphic style), with the articles' guards (`articleBlockers`, `articleKeepAfter`): "your own" stays.
   */
  possessives: phraseList.default([]),
  /**
   * Aggressive level: words that make a list a template or an example the model copies ("Use this format:", "# EXAMPLE"):
   * the list introduced by a heading or a line ending in ":" that holds one keeps its bullets (compressMarkdown.ts).
   */
  templateWords: phraseList.default([]),
  /** Words after an article that keep it ("a few" is not "few"). */
  articleBlockers: phraseList.default([]),
  /**
   * Function words (articles, prepositions, conjunctions) that open a run of one to three words typed twice in a row
   * ("the the", "of the of the"): a slip, so every level drops the second copy. Words a real sentence doubles ("had
   * had", "that that") are not listed.
   */
  doubledWordStarts: phraseList.default([]),
  /**
   * Articles that are also prepositions (pt "a"), and the endings of a next word that make them
   * one: "instrua a fazê-lo" keeps its "a" before the infinitive.
   */
  prepositionArticles: phraseList.default([]),
  articleBlockerEndings: phraseList.default([]),
  /**
   * Words no article stands before (another article, a pronoun: pt "acesso a um terminal", "a mim", "a ele"): before
   * one a `prepositionArticles` word is the preposition and stays. Kept apart from `articleBlockers`, which also guard
   * the role copula ("Você é um…").
   */
  prepositionArticleNext: phraseList.default([]),
  /** Words before an article that keep it ("You are a tutor" stays). */
  articleKeepAfter: phraseList.default([]),
  /**
   * Predeterminers before an indefinite article (`indefiniteArticles`), which keep it: "many an
   * error", "such a case", "half an hour", "what a day" ("half hour" is not the same). Only "a"/"an":
   * "the" after them is `articleKeepAfter`'s business.
   */
  predeterminers: phraseList.default([]),
  /** Aggressive level: role sentence openers dropped with their article ("You are an" in "You are an expert at X" → "Expert at X"). */
  roleCopulas: phraseList.default([]),
  /** Aggressive level: subject pronouns dropped at a sentence start before one of `pronounVerbs` ("You only output" → "Only output"). */
  subjectPronouns: phraseList.default([]),
  pronounVerbs: phraseList.default([]),
  /**
   * Medium level, pro-drop languages: subject pronouns dropped before a lower-case word that is
   * not one of `dropPronounBlockers` ("yo introduciré" → "introduciré", "quando eu preciso" → "quando preciso").
   */
  dropPronouns: phraseList.default([]),
  dropPronounBlockers: phraseList.default([]),
  /**
   * Medium level: a relative pronoun and its copula before a past participle go ("the text that
   * is provided below" → "the text provided below"). `participleEndings` and `participles` say
   * what a participle is; `participleBlockers` are words with such an ending that are not one.
   */
  reducedRelatives: phraseList.default([]),
  participleEndings: phraseList.default([]),
  participles: phraseList.default([]),
  participleBlockers: phraseList.default([]),
  /** Aggressive level: the conjunction that closes a comma series ("X, Y, and Z" → "X, Y, Z"). */
  seriesConjunctions: phraseList.default([]),
  /** What a series conjunction may open that ends the series open ("…, and more", "…, and so on"): it stays, the comma alone does not say "and more". */
  seriesOpenEnds: phraseList.default([]),
  /** Aggressive level: quantifiers before "of" that keep the article after it ("any of the steps", never "any of steps"). */
  partitiveQuantifiers: phraseList.default([]),
  /** Number words ("dos", "três"): before "and" + one, an indefinite article counts ("una correcta y tres incorrectas"). */
  numberWords: phraseList.default([]),
  /** Words an adverb is coordinated with ("clearly and concisely"): a filler adverb next to one stays. */
  coordinators: phraseList.default([]),
  /**
   * Prepositions that open an adverbial phrase coordinated with a filler adverb ("carefully & to the letter",
   * "carefully and in full"): the adverb stays, or the coordinator would be left dangling.
   */
  coordinatedPrepositions: phraseList.default([]),
  /**
   * Words that open a subordinate clause ("when", "if", "that"; es "cuando", "que"): a list item or a
   * labelled sentence of five words or more with one is a full sentence and keeps its articles at medium.
   */
  subordinators: phraseList.default([]),
  /** Finite verbs ("is", "should"): after its first word, a list item's sentence is a full one (articles stay, medium); after "make sure you", no imperative ("have" only before "not" or a participle). */
  finiteVerbs: phraseList.default([]),
  /** Medium level: in a fragment, "a"/"an" after one of these (prepositions) stays ("in a clear format", never "in clear format"). */
  fragmentIndefiniteKeepAfter: phraseList.default([]),
  perfectAuxiliaries: phraseList.default([]),
  /**
   * Compressor only: verbs after which a request phrase that ends with the addressee ("ensure that you", `subjectPronouns`)
   * stays, since what follows it is no imperative there ("This will help ensure that you have…" never "… help have…").
   */
  addresseeKeepAfter: phraseList.default([]),
  /**
   * Compressor only, medium level (es, pt): phrases that govern the addressee's subjunctive ("es
   * importante que", "me gustaría que", "gostaria que você"). With a verb of `imperatives` after it,
   * the phrase and the verb become the imperative ("Es importante que incluyas" → "Incluye",
   * "Gostaria que você escrevesse" → "Escreva"); with any other word the phrase stays whole (its
   * generic `verbose`/`politeness` removal left "Incluyas ejemplos.", "Escrevesse um poema.").
   */
  subjunctiveLeads: phraseList.default([]),
  imperatives: z.array(z.tuple([z.string().min(1), z.string().min(1)])).default([]),
  /**
   * The imperative of a present subjunctive `imperatives` does not list, from its ending
   * (compressor, medium; imperativeForms.ts): only after one of `leads` (present-tense leads: the past
   * ones govern the imperfect, whose stems are irregular). `endings` maps a subjunctive ending to the
   * imperative's, the longest that fits deciding (`null`: irregular or imperfect, no guess; an ending mapped
   * to itself is the imperative as it stands: "trabalhe", "corrijam"); `notVerbs` end like verbs and are
   * none ("esta", "siempre") or verbs with no imperative ("haya", "puedas"). After one of `impersonalLeads` ("es
   * importante que") only a second person is guessed: a third person there has its own subject ("que aparezca la fecha").
   * One of `subjectVerbs` ("sean", "sejam") in the words after the guess shows it was that verb's subject ("que respostas
   * longas sejam evitadas"). Irregular verbs go in `imperatives`.
   */
  regularImperatives: z
    .object({
      leads: phraseList,
      impersonalLeads: phraseList.default([]),
      endings: z.array(z.tuple([z.string().min(1), z.string().nullable()])),
      notVerbs: phraseList.default([]),
      subjectVerbs: phraseList.default([]),
    })
    .optional(),
  /** Heading words that mark the prompt's task ("# TASK", "## Instructions"): the distiller keeps the unit after them. */
  taskHeadings: phraseList.default([]),
  /**
   * Words that open a leading clause before an instruction ("Given the new context, refine the answer…", "Based on the
   * text, answer…"): the distiller reads the task verb after that clause's comma.
   */
  instructionLeads: phraseList.default([]),
  /** Obligations of the model that a task verb follows ("you also have to generate…", "it has to classify…"): the distiller keeps such a task. */
  taskObligations: phraseList.default([]),
  /**
   * Phrases that hand the model its task whatever verb follows ("You are tasked with reflecting on…", "Your job is to take…"):
   * the distiller reads a unit holding one as a main instruction, as one that opens with a task verb.
   */
  taskAssignments: phraseList.default([]),
  /**
   * Verbs that open an instruction by naming what to work from, the task verb coming after one of `taskPurposeLinks`
   * ("Use the following pieces of context to answer the question…", kotaemon's citation QA prompt via newuser40; "Read
   * the text below and summarize it"): the distiller reads such a unit as a main instruction.
   */
  taskMeans: phraseList.default([]),
  /** What joins `taskMeans` to the task verb after it: "to", "in order to", "and". */
  taskPurposeLinks: phraseList.default([]),
  /**
   * Pronouns that address the model ("you"): a prompt whose first sentence opens with one and names no role ("You maintain
   * detailed, information-dense entity memories…", graphiti) says what the model is there for, and the distiller keeps it.
   */
  addressPronouns: phraseList.default([]),
  /**
   * Medium level: words of the prompt's own section headings ("# IDENTITY and PURPOSE",
   * "# OUTPUT INSTRUCTIONS"). A heading whose capitalised words are all listed here is folded to
   * normal case where that takes fewer tokens; other headings (an output template's "# OVERVIEW")
   * keep their capitals.
   */
  sectionHeadingWords: phraseList.default([]),
  /**
   * Medium level: the words of a heading that only names the role section at the top of a prompt ("# IDENTITY and
   * PURPOSE", "// Who you are"); with the role sentence right after it ("You are an expert at…"), the heading goes.
   */
  roleHeadingWords: phraseList.default([]),
  /**
   * Medium level: "//" comments that only gloss the markdown heading right above them ("# GOAL" then "// What we are trying
   * to achieve"); the comment goes, the heading names the section.
   */
  headingGlosses: phraseList.default([]),
  /** Words that, right after a comma, open a new clause: they end a protected constraint clause ("Only answer in JSON, and keep it short"). */
  clauseBreaks: phraseList.default([]),
  /** Generic role sentences ("You are a helpful assistant") dropped when a more specific role sentence follows. */
  genericRoles: phraseList.default([]),
  hardConstraints: phraseList,
  outputFormat: phraseList,
  taskVerbs: phraseList,
  conditions: phraseList,
  ambiguous: phraseList,
  /**
   * Set phrases that hold a vague word but say something exact ("to some degree", "proper noun", "good morning"):
   * matched with `ambiguous` (the longer match wins) and then not reported as vague.
   */
  ambiguousIdioms: phraseList.default([]),
  role: phraseList,
  inputLabels: phraseList,
  headings: z.object({
    role: z.string(),
    task: z.string(),
    context: z.string(),
    constraints: z.string(),
    outputFormat: z.string(),
    input: z.string(),
    examples: z.string(),
  }),
});
export type LanguagePack = z.infer<typeof LanguagePackSchema>;

/** A language code, or `und` when the text gives too little evidence for any pack. */
export type LanguageCode = string;

const packs = new Map<string, LanguagePack>();
const compiledCache = new Map<string, CompiledPack>();

/** Adds (or replaces) a language pack after validating it. */
export function registerLanguage(raw: unknown): LanguagePack {
  const pack = LanguagePackSchema.parse(raw);
  packs.set(pack.code, pack);
  compiledCache.delete(pack.code);
  return pack;
}

for (const raw of [en, pt, es]) registerLanguage(raw);

export function languagePack(code: string): LanguagePack {
  return packs.get(code) ?? (packs.get('en') as LanguagePack);
}

export function supportedLanguages(): string[] {
  return [...packs.keys()];
}

export interface LanguageDetection {
  language: LanguageCode;
  /** Share of the evidence that points to `language` (0-1). */
  confidence: number;
  /** Per-language evidence counts, for the report. */
  scores: Record<string, number>;
}

/** Escapes a phrase for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A case-insensitive pattern that matches any of the phrases as whole words (letters or
 * digits never touch the ends). Longer phrases come first so "do not" wins over "do".
 */
export function phrasePattern(phrases: readonly string[]): RegExp | undefined {
  const unique = [...new Set(phrases.map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0))];
  if (unique.length === 0) return undefined;
  unique.sort((a, b) => b.length - a.length);
  const body = unique.map((p) => escapeRegExp(p).replace(/\s+/g, '\\s+')).join('|');
  // An apostrophe followed by a letter continues the word: "in a way that" does not match "in a way that's".
  // Nor does a hyphen between letters: "intelligent" is not matched inside "hyper-intelligent".
  return new RegExp(`(?<![\\p{L}\\p{N}_]|[\\p{L}\\p{N}][-'’])(?:${body})(?![\\p{L}\\p{N}_]|['’-]\\p{L})`, 'giu');
}

/** `phrasePattern`, sticky: it matches only at `lastIndex`. */
function stickyPattern(phrases: readonly string[]): RegExp | undefined {
  const pattern = phrasePattern(phrases);
  return pattern ? new RegExp(pattern.source, 'iuy') : undefined;
}

export interface CompiledPack {
  pack: LanguagePack;
  politeness?: RegExp;
  filler?: RegExp;
  fillerAggressive?: RegExp;
  fillerAdverbs?: RegExp;
  adjectiveFillers: Set<string>;
  adjectiveKeepAfter: Set<string>;
  adjectiveKeepBefore: Set<string>;
  /** `pack.fillerFixed`, anchored: matched at a filler's position, the filler stays. */
  fillerFixed?: RegExp;
  adverbialFillers: Set<string>;
  adverbialHosts: Set<string>;
  ritual?: RegExp;
  questionLeads: readonly string[];
  /** `verbose` and `concise` together: what the compressor rewrites from the medium level. */
  compressVerbose: Map<string, string>;
  compressVerbosePattern?: RegExp;
  /** Pointing phrase (lower-cased) → [singular, plural] demonstrative. */
  demonstratives: Map<string, readonly [string, string]>;
  demonstrativesPattern?: RegExp;
  demonstrativeNounEnds: Set<string>;
  /** Subject with auxiliary (lower-cased) → the bare subject. */
  auxiliaries: Map<string, string>;
  auxiliariesPattern?: RegExp;
  futureAuxiliaries?: RegExp;
  /** Infinitive ending → present ending, longest first. */
  presentEndings: ReadonlyArray<readonly [string, string]>;
  presentForms: Map<string, string>;
  futureBlockers: Set<string>;
  /** Form of "ir a" (lower-cased) → the future's ending of its person. */
  goingToFutures: Map<string, string>;
  goingToFuturesPattern?: RegExp;
  /** Infinitive ending → future stem ending, longest first. */
  futureStems: ReadonlyArray<readonly [string, string]>;
  goingToBlockers: Set<string>;
  /** Sentence-opening connector (lower-cased) → its short form. */
  sentenceOpeners: Map<string, string>;
  sentenceOpenersPattern?: RegExp;
  plainWords: Map<string, string>;
  plainWordsPattern?: RegExp;
  presentTense: Map<string, string>;
  presentTensePattern?: RegExp;
  addresseeClitics: Set<string>;
  addresseeVerbs: Set<string>;
  roleLeads: Map<string, string>;
  roleLeadsPattern?: RegExp;
  roleLeadBlockers: Set<string>;
  aggressiveOpeners: Map<string, string>;
  aggressiveOpenersPattern?: RegExp;
  negatedDeterminersPattern?: RegExp;
  shortClauses: Map<string, string>;
  shortClausesPattern?: RegExp;
  /** Task announcement (lower-cased) → its short form before an infinitive. */
  taskLeads: Map<string, string>;
  taskLeadsPattern?: RegExp;
  labelLeadsPattern?: RegExp;
  labelCopulas: Set<string>;
  labelBlockers: Set<string>;
  copulas?: RegExp;
  copulaKeepAfter: Set<string>;
  copulaKeepBefore: Set<string>;
  copulaComplementEndings: readonly string[];
  hardConstraints?: RegExp;
  outputFormat?: RegExp;
  taskVerbs?: RegExp;
  conditions?: RegExp;
  ambiguous?: RegExp;
  /** `ambiguousIdioms`, lower-cased with single spaces: a match of `ambiguous` equal to one is not vague. */
  ambiguousIdioms: ReadonlySet<string>;
  role?: RegExp;
  inputLabels?: RegExp;
  /** `quantities`: phrase (lower-cased) → noun class → short form. */
  quantities: Map<string, Readonly<Record<string, string>>>;
  quantityWords: Map<string, string>;
  /** `quantityNouns` endings (without the "-"), longest first. */
  quantityEndings: ReadonlyArray<readonly [string, string]>;
  /** Verbose phrase → shorter replacement, keyed by the lower-cased phrase. */
  verbose: Map<string, string>;
  verbosePattern?: RegExp;
  verboseAggressive: Map<string, string>;
  verboseAggressivePattern?: RegExp;
  contractions: Map<string, string>;
  contractionsPattern?: RegExp;
  contractionKeepBefore: Set<string>;
  metaSentences: Set<string>;
  shortForms: Map<string, string>;
  shortFormsPattern?: RegExp;
  imperativeLeads?: RegExp;
  imperativeBlockers: Set<string>;
  infinitiveEndings: readonly string[];
  infinitiveCliticStems: readonly string[];
  infinitivePrepositions: ReadonlySet<string>;
  articles?: RegExp;
  possessives?: RegExp;
  templateWords: readonly string[];
  articleBlockers: Set<string>;
  doubledWordStarts: ReadonlySet<string>;
  articleBlockerEndings: readonly string[];
  prepositionArticles: Set<string>;
  prepositionArticleNext: Set<string>;
  articleKeepAfter: Set<string>;
  predeterminers: Set<string>;
  /** The articles, lower-cased. */
  articleWords: Set<string>;
  roleCopulas?: RegExp;
  subjectPronouns?: RegExp;
  pronounVerbs: Set<string>;
  dropPronouns?: RegExp;
  dropPronounBlockers: Set<string>;
  seriesConjunctions: Set<string>;
  seriesOpenEnds?: RegExp;
  coordinators: Set<string>;
  coordinatedPrepositions: Set<string>;
  subordinators: Set<string>;
  finiteVerbs: Set<string>;
  fragmentIndefiniteKeepAfter: Set<string>;
  perfectAuxiliaries: Set<string>;
  addresseeKeepAfter: Set<string>;
  subjunctiveLeads: Set<string>;
  subjunctiveLeadsPattern?: RegExp;
  /** Subjunctive form (lower-cased, "me ayudes" with its clitic) → imperative. */
  imperatives: Map<string, string>;
  regularImperatives?: { leads: Set<string>; impersonalLeads: Set<string>; endings: [string, string | null][]; notVerbs: Set<string>; subjectVerbs: Set<string> };
  partitiveQuantifiers: Set<string>;
  numberWords: Set<string>;
  reducedRelatives?: RegExp;
  participleEndings: readonly string[];
  participles: Set<string>;
  participleBlockers: Set<string>;
  taskHeadings?: RegExp;
  instructionLeads?: RegExp;
  taskObligations?: RegExp;
  taskAssignments?: RegExp;
  taskMeans?: RegExp;
  taskPurposeLinks?: RegExp;
  addressPronouns?: RegExp;
  sectionHeadingWords: Set<string>;
  roleHeadingWords: Set<string>;
  genericRoles: Set<string>;
}

/** The pack with its phrase lists compiled to patterns (cached per language). */
export function compiledPack(code: string): CompiledPack {
  const pack = languagePack(code);
  let compiled = compiledCache.get(pack.code);
  if (!compiled) {
    const verbose = new Map(pack.verbose.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const));
    const contractions = new Map(pack.contractions.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const));
    const shortForms = new Map(pack.shortForms.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const));
    const compressVerbose = new Map([...verbose, ...pack.concise.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)]);
    const verboseAggressive = new Map(pack.verboseAggressive.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const));
    compiled = {
      pack,
      politeness: phrasePattern(pack.politeness),
      filler: phrasePattern(pack.filler),
      fillerAggressive: phrasePattern(pack.fillerAggressive),
      fillerAdverbs: phrasePattern(pack.fillerAdverbs),
      fillerFixed: stickyPattern(pack.fillerFixed),
      adverbialFillers: new Set(pack.adverbialFillers.map((w) => w.toLowerCase().replace(/\s+/g, ' '))),
      adverbialHosts: new Set(pack.adverbialHosts.map((w) => w.toLowerCase())),
      questionLeads: pack.questionLeads.map((w) => w.toLowerCase().replace(/\s+/g, ' ')),
      adjectiveFillers: new Set(pack.adjectiveFillers.map((w) => w.toLowerCase().replace(/\s+/g, ' '))),
      adjectiveKeepAfter: new Set(pack.adjectiveKeepAfter.map((w) => w.toLowerCase())),
      adjectiveKeepBefore: new Set(pack.adjectiveKeepBefore.map((w) => w.toLowerCase())),
      ritual: phrasePattern(pack.ritual),
      compressVerbose,
      compressVerbosePattern: phrasePattern([...compressVerbose.keys()]),
      demonstratives: new Map(pack.demonstratives.map(([from, one, many]) => [from.toLowerCase().replace(/\s+/g, ' '), [one, many] as const] as const)),
      demonstrativesPattern: phrasePattern(pack.demonstratives.map(([from]) => from)),
      demonstrativeNounEnds: new Set(pack.demonstrativeNounEnds.map((w) => w.toLowerCase())),
      auxiliaries: new Map(pack.auxiliaries.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      auxiliariesPattern: phrasePattern(pack.auxiliaries.map(([from]) => from)),
      futureAuxiliaries: phrasePattern(pack.futureAuxiliaries),
      presentEndings: pack.presentEndings.map(([from, to]) => [from.toLowerCase(), to] as const).sort((a, b) => b[0].length - a[0].length),
      presentForms: new Map(pack.presentForms.map(([from, to]) => [from.toLowerCase(), to] as const)),
      futureBlockers: new Set(pack.futureBlockers.map((w) => w.toLowerCase())),
      goingToFutures: new Map(pack.goingToFutures.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      goingToFuturesPattern: phrasePattern(pack.goingToFutures.map(([from]) => from)),
      futureStems: pack.futureStems.map(([from, to]) => [from.toLowerCase(), to] as const).sort((a, b) => b[0].length - a[0].length),
      goingToBlockers: new Set(pack.goingToBlockers.map((w) => w.toLowerCase())),
      sentenceOpeners: new Map(pack.sentenceOpeners.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      sentenceOpenersPattern: phrasePattern(pack.sentenceOpeners.map(([from]) => from)),
      plainWords: new Map(pack.plainWords.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      plainWordsPattern: phrasePattern(pack.plainWords.map(([from]) => from)),
      presentTense: new Map(pack.presentTense.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      presentTensePattern: phrasePattern(pack.presentTense.map(([from]) => from)),
      addresseeClitics: new Set(pack.addresseeClitics.map((w) => w.toLowerCase())),
      addresseeVerbs: new Set(pack.addresseeVerbs.map((w) => w.toLowerCase())),
      roleLeads: new Map(pack.roleLeads.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      roleLeadsPattern: phrasePattern(pack.roleLeads.map(([from]) => from)),
      roleLeadBlockers: new Set(pack.roleLeadBlockers.map((w) => w.toLowerCase())),
      aggressiveOpeners: new Map(pack.aggressiveOpeners.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      aggressiveOpenersPattern: phrasePattern(pack.aggressiveOpeners.map(([from]) => from)),
      negatedDeterminersPattern: phrasePattern(pack.negatedDeterminers),
      shortClauses: new Map(pack.shortClauses.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      shortClausesPattern: phrasePattern(pack.shortClauses.map(([from]) => from)),
      taskLeads: new Map(pack.taskLeads.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      taskLeadsPattern: phrasePattern(pack.taskLeads.map(([from]) => from)),
      labelLeadsPattern: phrasePattern(pack.labelLeads),
      labelCopulas: new Set(pack.labelCopulas.map((w) => w.toLowerCase())),
      labelBlockers: new Set(pack.labelBlockers.map((w) => w.toLowerCase())),
      copulas: phrasePattern(pack.copulas),
      copulaKeepAfter: new Set(pack.copulaKeepAfter.map((w) => w.toLowerCase())),
      copulaKeepBefore: new Set(pack.copulaKeepBefore.map((w) => w.toLowerCase())),
      copulaComplementEndings: pack.copulaComplementEndings.map((w) => w.toLowerCase()),
      hardConstraints: phrasePattern(pack.hardConstraints),
      outputFormat: phrasePattern(pack.outputFormat),
      taskVerbs: phrasePattern(pack.taskVerbs),
      conditions: phrasePattern(pack.conditions),
      ambiguous: phrasePattern([...pack.ambiguous, ...pack.ambiguousIdioms]),
      ambiguousIdioms: new Set(pack.ambiguousIdioms.map((p) => p.trim().toLowerCase().replace(/\s+/g, ' '))),
      role: phrasePattern(pack.role),
      inputLabels: phrasePattern(pack.inputLabels),
      quantities: new Map(pack.quantities.map(([from, forms]) => [from.toLowerCase().replace(/\s+/g, ' '), forms] as const)),
      quantityWords: new Map(pack.quantityNouns.filter(([w]) => !w.startsWith('-')).map(([w, c]) => [w.toLowerCase(), c] as const)),
      quantityEndings: pack.quantityNouns
        .filter(([w]) => w.startsWith('-'))
        .map(([w, c]) => [w.slice(1).toLowerCase(), c] as const)
        .sort((a, b) => b[0].length - a[0].length),
      verbose,
      verbosePattern: phrasePattern([...verbose.keys()]),
      verboseAggressive,
      verboseAggressivePattern: phrasePattern([...verboseAggressive.keys()]),
      contractions,
      contractionsPattern: phrasePattern([...contractions.keys()]),
      contractionKeepBefore: new Set(pack.contractionKeepBefore.map((w) => w.toLowerCase())),
      metaSentences: new Set(pack.metaSentences.map((w) => w.toLowerCase().replace(/\s+/g, ' '))),
      shortForms,
      shortFormsPattern: phrasePattern([...shortForms.keys()]),
      imperativeLeads: phrasePattern(pack.imperativeLeads),
      imperativeBlockers: new Set(pack.imperativeBlockers.map((w) => w.toLowerCase())),
      infinitiveEndings: pack.infinitiveEndings.map((w) => w.toLowerCase()),
      infinitiveCliticStems: pack.infinitiveCliticStems.map((w) => w.toLowerCase()),
      infinitivePrepositions: new Set(pack.infinitivePrepositions.map((w) => w.toLowerCase())),
      articles: phrasePattern(pack.articles),
      possessives: phrasePattern(pack.possessives),
      templateWords: pack.templateWords.map((w) => w.toLowerCase()),
      articleBlockers: new Set(pack.articleBlockers.map((w) => w.toLowerCase())),
      doubledWordStarts: new Set(pack.doubledWordStarts.map((w) => w.toLowerCase())),
      articleBlockerEndings: pack.articleBlockerEndings.map((w) => w.toLowerCase()),
      prepositionArticles: new Set(pack.prepositionArticles.map((w) => w.toLowerCase())),
      prepositionArticleNext: new Set(pack.prepositionArticleNext.map((w) => w.toLowerCase())),
      articleKeepAfter: new Set(pack.articleKeepAfter.map((w) => w.toLowerCase())),
      predeterminers: new Set(pack.predeterminers.map((w) => w.toLowerCase())),
      articleWords: new Set(pack.articles.map((w) => w.toLowerCase())),
      roleCopulas: phrasePattern(pack.roleCopulas),
      subjectPronouns: phrasePattern(pack.subjectPronouns),
      pronounVerbs: new Set(pack.pronounVerbs.map((w) => w.toLowerCase())),
      dropPronouns: phrasePattern(pack.dropPronouns),
      dropPronounBlockers: new Set(pack.dropPronounBlockers.map((w) => w.toLowerCase())),
      seriesConjunctions: new Set(pack.seriesConjunctions.map((w) => w.toLowerCase())),
      seriesOpenEnds: pack.seriesOpenEnds.length === 0 ? undefined : new RegExp(`^[ \\t]+(?:${pack.seriesOpenEnds.map((w) => escapeRegExp(w).replace(/ /g, '[ \\t]+')).join('|')})(?![\\p{L}\\p{N}])`, 'iu'),
      coordinators: new Set(pack.coordinators.map((w) => w.toLowerCase())),
      coordinatedPrepositions: new Set(pack.coordinatedPrepositions.map((w) => w.toLowerCase())),
      subordinators: new Set(pack.subordinators.map((w) => w.toLowerCase())),
      finiteVerbs: new Set(pack.finiteVerbs.map((w) => w.toLowerCase())),
      fragmentIndefiniteKeepAfter: new Set(pack.fragmentIndefiniteKeepAfter.map((w) => w.toLowerCase())),
      perfectAuxiliaries: new Set(pack.perfectAuxiliaries.map((w) => w.toLowerCase())),
      addresseeKeepAfter: new Set(pack.addresseeKeepAfter.map((w) => w.toLowerCase())),
      subjunctiveLeads: new Set(pack.subjunctiveLeads.map((w) => w.toLowerCase().replace(/\s+/g, ' '))),
      subjunctiveLeadsPattern: phrasePattern(pack.subjunctiveLeads),
      imperatives: new Map(pack.imperatives.map(([from, to]) => [from.toLowerCase().replace(/\s+/g, ' '), to] as const)),
      regularImperatives: pack.regularImperatives && {
        leads: new Set(pack.regularImperatives.leads.map((w) => w.toLowerCase().replace(/\s+/g, ' '))),
        impersonalLeads: new Set(pack.regularImperatives.impersonalLeads.map((w) => w.toLowerCase().replace(/\s+/g, ' '))),
        endings: [...pack.regularImperatives.endings].sort((a, b) => b[0].length - a[0].length),
        notVerbs: new Set(pack.regularImperatives.notVerbs.map((w) => w.toLowerCase())),
        subjectVerbs: new Set(pack.regularImperatives.subjectVerbs.map((w) => w.toLowerCase())),
      },
      partitiveQuantifiers: new Set(pack.partitiveQuantifiers.map((w) => w.toLowerCase())),
      numberWords: new Set(pack.numberWords.map((w) => w.toLowerCase())),
      reducedRelatives: phrasePattern(pack.reducedRelatives),
      participleEndings: pack.participleEndings.map((w) => w.toLowerCase()),
      participles: new Set(pack.participles.map((w) => w.toLowerCase())),
      participleBlockers: new Set(pack.participleBlockers.map((w) => w.toLowerCase())),
      taskHeadings: phrasePattern(pack.taskHeadings),
      instructionLeads: phrasePattern(pack.instructionLeads),
      taskObligations: phrasePattern(pack.taskObligations),
      taskAssignments: phrasePattern(pack.taskAssignments),
      taskMeans: phrasePattern(pack.taskMeans),
      taskPurposeLinks: phrasePattern(pack.taskPurposeLinks),
      addressPronouns: phrasePattern(pack.addressPronouns),
      sectionHeadingWords: new Set(pack.sectionHeadingWords.map((w) => w.toLowerCase())),
      roleHeadingWords: new Set(pack.roleHeadingWords.map((w) => w.toLowerCase())),
      genericRoles: new Set(pack.genericRoles.map((w) => w.toLowerCase().replace(/\s+/g, ' '))),
    };
    compiledCache.set(pack.code, compiled);
  }
  return compiled;
}

/** Whether `pattern` matches anywhere in `text` (resets the global pattern's state). */
export function matchesAny(pattern: RegExp | undefined, text: string): boolean {
  if (!pattern) return false;
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/** How many times `pattern` matches in `text`. */
export function countMatches(pattern: RegExp | undefined, text: string): number {
  if (!pattern) return 0;
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text) !== null) count++;
  pattern.lastIndex = 0;
  return count;
}

/** Whether a match of a pack's `ambiguous` pattern is one of its set phrases ("to some degree"), not a vague word. */
export function isAmbiguousIdiom(pack: CompiledPack, match: string): boolean {
  return pack.ambiguousIdioms.size > 0 && pack.ambiguousIdioms.has(match.toLowerCase().replace(/\s+/g, ' '));
}

/** How many vague words `text` holds: matches of the pack's `ambiguous` pattern that are not set phrases. */
export function countAmbiguous(pack: CompiledPack, text: string): number {
  const pattern = pack.ambiguous;
  if (!pattern) return 0;
  pattern.lastIndex = 0;
  let count = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) if (!isAmbiguousIdiom(pack, m[0])) count++;
  pattern.lastIndex = 0;
  return count;
}

/** Each pack's detection words, lower-cased, built once per pack (detection runs on every prompt the editor shows). */
const vocabularies = new WeakMap<LanguagePack, ReadonlySet<string>>();

function detectionVocabulary(pack: LanguagePack): ReadonlySet<string> {
  let vocabulary = vocabularies.get(pack);
  if (!vocabulary) vocabularies.set(pack, (vocabulary = new Set(pack.detection.words.map((w) => w.toLowerCase()))));
  return vocabulary;
}

/** Quoted passages ("…", “…”, «…», „…“, '…' set off by spaces): text the prompt quotes, not the words it is written in. */
const QUOTED = /"[^"\n]{1,1000}"|“[^”\n]{1,1000}”|«[^»\n]{1,1000}»|„[^“”\n]{1,1000}[“”]|(?<![\p{L}\p{N}])'[^'\n]{1,1000}'(?![\p{L}\p{N}])/gu;

/**
 * The words of `sample` outside its quotes: the language the prompt is written in, whatever it quotes. Undefined when it
 * quotes nothing. `other` is the language no pack is written for that they are in (otherLatinLanguage), `packHits` the
 * best pack's word hits among them.
 */
function outsideQuotes(sample: string): { other?: { language: string; hits: number }; packHits: number } | undefined {
  QUOTED.lastIndex = 0;
  if (!QUOTED.test(sample)) return undefined;
  QUOTED.lastIndex = 0;
  const outside = sample.replace(QUOTED, ' ').match(/[\p{L}]+/gu) ?? [];
  let packHits = 0;
  for (const pack of packs.values()) {
    const vocabulary = detectionVocabulary(pack);
    packHits = Math.max(packHits, outside.filter((w) => vocabulary.has(w)).length);
  }
  const other = otherLatinLanguage(outside, packHits);
  return { ...(other ? { other } : {}), packHits };
}

/** Looks at most this many characters: language is settled long before, and 1 MB inputs stay fast. */
const DETECTION_WINDOW = 20_000;

/**
 * Detects the language by counting each pack's frequent function words and its distinctive
 * characters. Words shared by several languages ("de", "que", "a") count for each of them,
 * so only the differences decide. Too little evidence gives `und`.
 */
export function detectLanguage(text: string): LanguageDetection {
  const sample = text.slice(0, DETECTION_WINDOW).toLowerCase();
  const words = sample.match(/[\p{L}]+/gu) ?? [];
  const scores: Record<string, number> = {};
  const wordHits: Record<string, number> = {};
  for (const pack of packs.values()) {
    const vocabulary = detectionVocabulary(pack);
    let score = 0;
    for (const word of words) if (vocabulary.has(word)) score += 1;
    wordHits[pack.code] = score;
    // Distinctive characters only count alongside real words: random bytes contain "ã" too.
    if (score === 0) {
      scores[pack.code] = 0;
      continue;
    }
    for (const ch of pack.detection.characters) {
      let index = sample.indexOf(ch);
      while (index !== -1) {
        score += 2;
        index = sample.indexOf(ch, index + 1);
      }
    }
    scores[pack.code] = score;
  }
  const cjk = cjkLanguage(sample); // (zh, ja, ko: no pack's words decide them; see scripts.ts)
  if (cjk) return { ...cjk, scores };
  // French, Italian, German, Dutch, Catalan, Galician: more of their own function words than of any pack's (otherLanguages.ts).
  const packHits = Math.max(0, ...Object.values(wordHits));
  // (What a prompt quotes is not the language it is written in: an English prompt whose example is a French sentence, a
  // French one that quotes an English sentence, break35. Three pack words outside the quotes, and none of another
  // language's, make it a pack's; another language's words outside them make it that language.)
  const outside = outsideQuotes(sample);
  const other = outside?.other ?? (outside && outside.packHits >= 3 ? undefined : otherLatinLanguage(words, packHits));
  if (other) return { language: other.language, confidence: Math.round((other.hits / (other.hits + (outside?.other ? outside.packHits : packHits))) * 100) / 100, scores };
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((sum, [, s]) => sum + s, 0);
  const [bestCode, bestScore] = ranked[0] ?? ['und', 0];
  // Two function words, or one with the language's own characters ("Não use nenhuma lista."), are enough.
  const bestHits = wordHits[bestCode] ?? 0;
  if (bestScore < 2 || total === 0 || !(bestHits >= 2 || (bestHits === 1 && bestScore > bestHits))) return { language: 'und', confidence: 0, scores };
  return { language: bestCode, confidence: Math.round((bestScore / total) * 100) / 100, scores };
}
