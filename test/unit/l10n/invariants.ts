// What a translation must keep from the English it translates: placeholders ({0},
// {name}), code in backticks, `#setting.id#` links, `(command:…)` buttons. A translation
// that drops or renames one shows the user a broken link or an unfilled hole.
export function keptTokens(text: string): string[] {
  const tokens = [
    ...text.matchAll(/\{[\w.]+\}/g),
    ...text.matchAll(/`[^`]+`/g),
    ...text.matchAll(/#pepperpy\.[\w.]+#/g),
    ...text.matchAll(/\(command:[\w.]+\)/g),
  ].map((m) => m[0]);
  return tokens.sort();
}

/**
 * Problems of a translated table against its English one: keys missing on either side,
 * values left in English (unless allowed, e.g. product names), and kept tokens lost.
 */
export function translationProblems(english: Record<string, string>, translated: Record<string, string>, sameAsEnglishAllowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(english)) if (!(key in translated)) problems.push(`missing in the translation: ${key}`);
  for (const key of Object.keys(translated)) if (!(key in english)) problems.push(`not in the English table: ${key}`);
  for (const [key, en] of Object.entries(english)) {
    const pt = translated[key];
    if (typeof pt !== 'string') continue;
    if (pt.trim() === '') problems.push(`empty translation: ${key}`);
    if (pt === en && !sameAsEnglishAllowed.has(key)) problems.push(`left in English: ${key}`);
    const want = keptTokens(en).join(' ');
    const got = keptTokens(pt).join(' ');
    if (want !== got) problems.push(`${key}: keeps [${got}] instead of [${want}]`);
  }
  return problems;
}
