/**
 * What a model name in code is used for, read from the call whose arguments hold it. A tokenizer lookup
 * (`tiktoken.encoding_for_model("gpt-3.5-turbo")`, LangChain's `CharacterTextSplitter.from_tiktoken_encoder(…,
 * model_name="gpt-3.5-turbo")`) sends nothing to the model: it only picks an encoding, and it works for a model its
 * provider has shut down. An embeddings client (`OpenAIEmbeddings(model="text-embedding-ada-002")`) never takes a prompt.
 * kotaemon (newuser40) priced eleven prompts as the tokenizer's gpt-3.5-turbo, one as an embedding model, and warned
 * "calls to it fail" on seven tokenizer lookups.
 */

/** How far back the opening parenthesis of the call is looked for (characters). */
const MAX_BACK = 600;

/**
 * The callee of the innermost call whose argument list holds `offset` (`tiktoken.encoding_for_model`,
 * `CharacterTextSplitter.from_tiktoken_encoder`), or undefined when `offset` is in no call's arguments within
 * `MAX_BACK` characters. Brackets inside strings are not told apart: a model argument seldom follows one.
 */
export function enclosingCallee(text: string, offset: number): string | undefined {
  let depth = 0;
  const stop = Math.max(0, offset - MAX_BACK);
  for (let i = offset - 1; i >= stop; i--) {
    const ch = text[i];
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    // An object or list the value sits in is an argument too (`new OpenAIEmbeddings({ model: "…" })`): looked through.
    else if (ch === '[' || ch === '{') depth = Math.max(0, depth - 1);
    else if (ch === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      return /([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*$/.exec(text.slice(Math.max(0, i - 200), i))?.[1].replace(/\s+/g, '');
    }
  }
  return undefined;
}

/** Callees that only look up a tokenizer: tiktoken's, a Hugging Face tokenizer's, a text splitter's. */
const TOKENIZER_CALLEE = /(?:^|\.)(?:encoding_for_model|encodingForModel|get_encoding|getEncoding|from_tiktoken_encoder)$|tiktoken|tokeniz|splitter/i;

/** Callees of embeddings clients (`OpenAIEmbeddings`, `LCAzureOpenAIEmbeddings.withx`, `client.embeddings.create`). */
const EMBEDDINGS_CALLEE = /embedding/i;

/** Whether the model name at `offset` is an argument of a tokenizer lookup, not of a call that sends anything to the model. */
export function isTokenizerModelArgument(text: string, offset: number): boolean {
  const callee = enclosingCallee(text, offset);
  return callee !== undefined && TOKENIZER_CALLEE.test(callee);
}

/** Whether the model name at `offset` is an argument of a tokenizer lookup or of an embeddings client: no prompt goes to it. */
export function takesNoPrompt(text: string, offset: number): boolean {
  const callee = enclosingCallee(text, offset);
  return callee !== undefined && (TOKENIZER_CALLEE.test(callee) || EMBEDDINGS_CALLEE.test(callee));
}
