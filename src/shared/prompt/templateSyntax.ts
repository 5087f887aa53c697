/**
 * Template syntax a rewrite must leave readable, beyond the atoms (scanner/atoms.ts). The atoms
 * check keeps every placeholder, but a rewrite can also break a template between its
 * placeholders: a lone `%` in a text formatted with Python's `%` operator ("100%% sure" →
 * "100% sure" raises "unsupported format character"), a lone `{` or `}` in a `str.format` /
 * LangChain template ("Single '}' encountered"), a new `{{`, `{%` or `{#` that opens no tag in
 * a Jinja or Mustache template (a syntax error when it is rendered). None of those is an atom,
 * so the atoms check let them through; a model's rewrite (Optimize with a model) or a quick fix
 * could write them (breaker44).
 *
 * Each rule applies only where the old text is such a template, by its own syntax: it holds a
 * conversion (`%s`, `%(name)s`) and every `%` in it is one or `%%`; it holds a field (`{name}`)
 * and every brace is a field's or doubled, and the literal is no Python f-string (whose decoded
 * braces are its code's: `{{` reads as `{`; a JavaScript template literal's `${x}` reads as a
 * field here, and LangChain.js templates mix the two); it holds a Jinja or
 * Mustache tag. Then the new text must still be one. Pure code, no Node modules.
 */
import { findAtoms } from './scanner/atoms';

/** One printf conversion as Python's `%` operator reads it, or `%%`. */
const PRINTF_CONVERSION = /%(?:\([^()]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?[hlL]?[diouxXeEfFgGcrsa%]/y;

/** Whether every `%` of `text` starts a conversion or `%%`, and how many conversions (not `%%`) it holds; undefined when one does not. */
export function printfConversions(text: string): number | undefined {
  let n = 0;
  for (let i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i)) {
    PRINTF_CONVERSION.lastIndex = i;
    const m = PRINTF_CONVERSION.exec(text);
    if (!m) return undefined;
    if (m[0] !== '%%') n++;
    i += m[0].length;
  }
  return n;
}

/**
 * The replacement fields of `text` as Python's `str.format` (and LangChain's f-string templates) read it, in order,
 * or undefined when a brace is neither a field's nor doubled. A field may nest one level in its format spec
 * (`{x:>{width}}`), as `str.format` allows.
 */
export function formatFields(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '}') {
      if (text[i + 1] !== '}') return undefined;
      i += 2;
      continue;
    }
    if (c !== '{') {
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      i += 2;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    while (j < text.length && depth > 0) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}') depth--;
      if (depth > 2) return undefined;
      j++;
    }
    if (depth > 0) return undefined;
    fields.push(text.slice(i, j));
    i = j;
  }
  return fields;
}

const TEMPLATE_TAG_KINDS: ReadonlySet<string> = new Set(['mustache', 'jinjaBlock', 'jinjaComment']);

/** The `{{`, `{%` and `{#` of `text` that open no tag the atoms read (its atoms blanked). */
function strayOpeners(text: string): number {
  let rest = '';
  let at = 0;
  for (const atom of findAtoms(text)) {
    rest += `${text.slice(at, atom.start)}\u0000`;
    at = atom.end;
  }
  rest += text.slice(at);
  return (rest.match(/\{[{%#]/g) ?? []).length;
}

/**
 * Why `after` breaks the template syntax of `before` (worded as "it would …"), or undefined when it does not.
 * `fString`: the literal is a Python f-string, so its decoded braces are not a `str.format` template's. `fieldsRead`: the
 * scanner reads `{name}` fields in the text (false: its braces are a JSON or code example's, and nothing shows it is
 * formatted), which words the brace rules by what the text is: a prompt never passed to `.format` was told of "a format
 * template" (camel's hybrid browser agent.py SYSTEM_PROMPT, breaker45).
 */
export function templateSyntaxDifference(before: string, after: string, fString: boolean, fieldsRead = true): string | undefined {
  const conversions = before.includes('%') ? (printfConversions(before) ?? 0) : 0;
  // The same number of conversions: "100%% sure" → "100% sure" reads "% s" as one (a space flag), which the atoms
  // leave alone after a digit, and the operator then wants one more value.
  if (conversions > 0 && printfConversions(after) !== conversions) {
    return 'it would leave a "%" that starts no conversion of its own in a %-formatted template (write "%%" for a percent sign there)';
  }
  const tags = /\{[{%#]/.test(before) ? findAtoms(before).filter((a) => TEMPLATE_TAG_KINDS.has(a.kind)) : [];
  if (tags.length > 0 && /\{[{%#]/.test(after) && strayOpeners(after) > strayOpeners(before)) {
    return 'it would add a "{{", "{%" or "{#" that opens no tag in a Jinja or Mustache template';
  }
  // A text with Jinja statements or comments is Jinja's, whose lone braces are text ("{% for %}" reads as a field here).
  const jinja = tags.some((a) => a.kind !== 'mustache');
  const fields = !fString && !jinja && (before.includes('{') || before.includes('}')) ? formatFields(before) : undefined;
  if (fields !== undefined && fields.length > 0) {
    const now = formatFields(after);
    if (now === undefined) {
      return fieldsRead
        ? 'it would leave a single "{" or "}" in a format template (write "{{" or "}}" for a brace there)'
        : 'it would leave a single "{" or "}" in a text whose braces all pair up (a JSON or code example in it would be cut)';
    }
    // A field the old text does not hold: a JSON example `{"action": "search"}` written into a str.format template reads
    // as a field named '"action"' (KeyError when it is formatted); the atoms leave such a brace alone (breaker42).
    const left = [...fields];
    for (const field of now) {
      const k = left.indexOf(field);
      const shown = field.length > 40 ? `${field.slice(0, 40)}…` : field;
      if (k < 0) {
        return fieldsRead
          ? `it would add "${shown}", which str.format reads as a field, to a format template (write "{{" and "}}" for braces there)`
          : `it would add "${shown}", which a formatter (str.format, LangChain) reads as a field, to a text with no field`;
      }
      left.splice(k, 1);
    }
  }
  return undefined;
}
