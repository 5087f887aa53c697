/**
 * The scanner's unit of work, in a file of its own so that the language modules (code.ts,
 * documents.ts, models.ts) and the judge (build.ts) can all name it without importing each other.
 */
import type { Judgement, LiteralContext } from './literalContext';
import type { DecodedLiteral } from './literals';
import type { PromptLocation } from '../../../protocol/scan';

/** A literal (or concatenation of literals) found by a language module, before judging. */
export interface Candidate {
  segments: DecodedLiteral[];
  context: LiteralContext;
  /** Set by modules that know the kind without judging (prompt files, `role:` sections). */
  verdict?: Judgement;
  /** Fills in `context.model`/`context.provider` from the rest of the file (models.ts); run only for prompts. */
  resolveModel?: () => void;
  /**
   * Where a prompt bound to a name goes out, read from the uses of the name (models.ts `sentSites`): the start of the
   * LLM call and of the list of role messages, as `LiteralContext.calleeAt`/`messageList` give them for a literal that
   * sits there itself; one entry per request, in the order of the uses (a name sent by two calls goes out in two). Run
   * only for prompts (build.ts).
   */
  sentSites?: () => Array<{ call?: number; list?: number; role?: string }>;
  /** A prompt composed in code from several literals (`"a" + x + "b"`): each literal, in source order; `segments` is one of them. */
  pieces?: DecodedLiteral[][];
  /** A single literal of a `+` chain: the chain's other operands (code, as written) before and after it. */
  runtimeOperands?: { before: string[]; after: string[] };
  /** A `+` chain whose module-constant operands are pieces (spliceChainConstants): its other operands, as written, in order. */
  chainRuntime?: string[];
  /**
   * A list of lines joined into one string (joined.ts): the separator and each element in order,
   * the index of a piece (in `pieces`, or 0 for `segments` when there is one) or a runtime value as written.
   */
  joined?: NonNullable<PromptLocation['joined']>;
  /** A module constant spliced into prompts of the file (`f"{PERSONA} …"`): those prompts, in source order (absorbFragments). */
  splicedInto?: Candidate[];
  /** Pieces taken in from a fragment variable (absorbFragments): the variable's name, which the prompt interpolates. */
  fills?: Map<DecodedLiteral[], string>;
  /** Pieces that are a module constant reported as a prompt of its own too (absorbChainHeads): `PromptPiece.shared`. */
  sharedPieces?: Set<DecodedLiteral[]>;
}
