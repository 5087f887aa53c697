// The analysis panel follows the text it analyzed through edits (src/extension/prompt/trackedRange.ts).
// Oracle: the edits are applied to a real string with marker characters around the range; the
// markers' positions in the edited string are where the range must be.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { shiftRange, type OffsetChange } from '../../../src/extension/prompt/trackedRange';

/** Applies one event's changes (offsets of the text before the event, non-overlapping) to `text`. */
function apply(text: string, changes: readonly OffsetChange[]): string {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) out = out.slice(0, c.rangeOffset) + c.text + out.slice(c.rangeOffset + c.rangeLength);
  return out;
}

describe('shiftRange: the analysis panel follows its text through edits', () => {
  const text = 'const a = 1;\nconst prompt = "Summarize the text.";\nsend(prompt);\n';
  const start = text.indexOf('"');
  const end = text.indexOf('";') + 1;

  it('moves the range by an edit before it and leaves it for an edit after it', () => {
    assert.deepEqual(shiftRange({ start, end }, [{ rangeOffset: 6, rangeLength: 1, text: 'alpha' }]), { start: start + 4, end: end + 4 });
    assert.deepEqual(shiftRange({ start, end }, [{ rangeOffset: end + 2, rangeLength: 4, text: '' }]), { start, end });
  });

  it('grows and shrinks with an edit inside, and takes in text that replaced an edge', () => {
    const inside = text.indexOf('the text');
    assert.deepEqual(shiftRange({ start, end }, [{ rangeOffset: inside, rangeLength: 4, text: '' }]), { start, end: end - 4 });
    // "prompt = "Sum" replaced by "p = 'Sum": the range starts where the replacement starts.
    const from = text.indexOf('prompt =');
    assert.deepEqual(shiftRange({ start, end }, [{ rangeOffset: from, rangeLength: start - from + 4, text: "p = 'Sum" }]), { start: from, end: end + (8 - (start - from + 4)) });
  });

  it('an insertion right at the start moves the range; right at the end leaves it', () => {
    assert.deepEqual(shiftRange({ start, end }, [{ rangeOffset: start, rangeLength: 0, text: 'f' }]), { start: start + 1, end: end + 1 });
    assert.deepEqual(shiftRange({ start, end }, [{ rangeOffset: end, rangeLength: 0, text: '.strip()' }]), { start, end });
  });

  it('several changes of one event (multi-cursor), in any order, as applying them to the text gives', () => {
    const changes = [
      { rangeOffset: 0, rangeLength: 5, text: 'let' },
      { rangeOffset: start + 1, rangeLength: 9, text: 'Sum up' },
      { rangeOffset: end + 1, rangeLength: 0, text: ' // sent' },
    ];
    const edited = apply(text, changes);
    for (const order of [changes, [...changes].reverse()]) {
      const r = shiftRange({ start, end }, order);
      assert.equal(edited.slice(r.start, r.end), '"Sum up the text."');
    }
  });

  it('property: edits outside the range keep its text; edits inside change it as they change the text', () => {
    const arb = fc
      .record({
        before: fc.string({ maxLength: 20 }),
        inside: fc.string({ minLength: 1, maxLength: 20 }),
        after: fc.string({ maxLength: 20 }),
      })
      .chain(({ before, inside, after }) => {
        const full = before + inside + after;
        const change = fc
          .tuple(fc.nat({ max: full.length }), fc.nat({ max: 10 }), fc.string({ maxLength: 6 }))
          .map(([at, len, t]) => ({ rangeOffset: at, rangeLength: Math.min(len, full.length - at), text: t }));
        return fc.record({ before: fc.constant(before), inside: fc.constant(inside), after: fc.constant(after), changes: fc.array(change, { maxLength: 3 }) });
      });
    fc.assert(
      fc.property(arb, ({ before, inside, after, changes }) => {
        // Keep the changes non-overlapping (as one VS Code event is): drop any that touch an earlier one.
        const kept: OffsetChange[] = [];
        for (const c of changes) if (kept.every((k) => c.rangeOffset + c.rangeLength < k.rangeOffset || c.rangeOffset > k.rangeOffset + k.rangeLength)) kept.push(c);
        const start = before.length;
        const end = start + inside.length;
        const r = shiftRange({ start, end }, kept);
        const edited = apply(before + inside + after, kept);
        const outside = kept.every((c) => c.rangeOffset + c.rangeLength <= start || c.rangeOffset >= end);
        const strictlyInside = kept.every((c) => c.rangeOffset + c.rangeLength <= start || c.rangeOffset >= end || (c.rangeOffset > start && c.rangeOffset + c.rangeLength < end));
        if (outside) assert.equal(edited.slice(r.start, r.end), inside);
        else if (strictlyInside) {
          // The range's own text with the inside edits applied (offsets made relative to the range).
          const rel = kept.filter((c) => c.rangeOffset > start && c.rangeOffset < end).map((c) => ({ ...c, rangeOffset: c.rangeOffset - start }));
          assert.equal(edited.slice(r.start, r.end), apply(inside, rel));
        }
        assert.ok(r.start >= 0 && r.start <= r.end && r.end <= edited.length);
      }),
      { numRuns: 2000 },
    );
  });
});
