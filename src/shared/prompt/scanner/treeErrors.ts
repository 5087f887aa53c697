/**
 * Whether a Lezer tree holds a syntax error node. Shared by incremental.ts (an incremental
 * parse is trusted only without errors) and unclosed.ts (a literal in an error-free tree is
 * left open only when its own text is not closed: every other sign it looks for is an error
 * node), which asks once per literal: the answer is remembered per tree asked about.
 */
import type { NodeSet, Tree, TreeBuffer } from '@lezer/common';

const treeErrors = new WeakMap<Tree, boolean>();

export function hasErrors(tree: Tree): boolean {
  let known = treeErrors.get(tree);
  if (known === undefined) treeErrors.set(tree, (known = subtreeHasErrors(tree)));
  return known;
}

// (A plain walk of a 3,000-line file's tree takes ~0.05 ms once compiled: remembering every subtree's answer, so that an
// incremental parse's reused subtrees are not walked again, cost five times that in map operations.)
function subtreeHasErrors(tree: Tree): boolean {
  if (tree.type.isError) return true;
  for (const child of tree.children) {
    // (Told apart by shape: @lezer/common loads lazily, parsers.ts, so its classes are not imported here.)
    if ('buffer' in child ? bufferHasErrors(child) : subtreeHasErrors(child)) return true;
  }
  return false;
}

/** The node set (grammar) last looked at, and which of its type ids are error nodes (`NodeType.isError` is a getter). */
let lastSet: NodeSet | undefined;
let lastIds = new Uint8Array(0);

function bufferHasErrors(buffer: TreeBuffer): boolean {
  if (buffer.set !== lastSet) {
    lastIds = new Uint8Array(buffer.set.types.length);
    for (const type of buffer.set.types) if (type.isError) lastIds[type.id] = 1;
    lastSet = buffer.set;
  }
  const ids = lastIds;
  // A buffer is a flat list of nodes, four numbers each: type id, start, end, end index.
  const data = buffer.buffer;
  for (let i = 0; i < data.length; i += 4) if (ids[data[i]] === 1) return true;
  return false;
}
