import type { Tree } from '@lezer/common';
import { parser as pythonParser } from '@lezer/python';
import { parser as jsParser } from '@lezer/javascript';

/** True when a Lezer tree has no error nodes, i.e. the source parses cleanly. */
export function parsesCleanly(tree: Tree): boolean {
  let clean = true;
  tree.iterate({
    enter(n) {
      if (n.type.isError) clean = false;
      return clean;
    },
  });
  return clean;
}

export function pythonParses(src: string): boolean {
  return parsesCleanly(pythonParser.parse(src));
}

export function typescriptParses(src: string): boolean {
  return parsesCleanly(jsParser.configure({ dialect: 'ts' }).parse(src));
}

/** Replaces [start, end) of `src` with `text`. */
export function splice(src: string, start: number, end: number, text: string): string {
  return src.slice(0, start) + text + src.slice(end);
}
