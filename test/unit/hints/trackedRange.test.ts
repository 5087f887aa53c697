// The analysis panel follows the text it analyzed through edits (src/extension/prompt/trackedRange.ts).
// Oracle: the edits are applied to a real string with marker characters around the range; the
// markers' positions in the edited string are where the range must be.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { EditHistory, shiftRange, type OffsetChange } from '../../../src/extension/prompt/trackedRange';

type TextChange = OffsetChange & { text: string };

/** Applies one event's changes (offsets of the text before the event, non-overlapping) to `text`. */
function apply(text: string, changes: readonly TextChange[]): string {
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
        const kept: TextChange[] = [];
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

// breaker48: a code lens or a code action carries the offset of the version its hints were computed for, and the user
// may edit before clicking it. EditHistory carries it through each change event since. Oracle: the edits applied to a
// real string; the character the offset pointed at (one no edit removes) is found in the result by a marker.
describe('EditHistory: an offset of an older version, carried into the current text (breaker48)', () => {
  it('follows a point through events of random edits that keep its character, as applying them to the text gives', () => {
    const edit = fc.record({ at: fc.nat(), length: fc.nat({ max: 6 }), text: fc.string({ maxLength: 8 }).map((s) => s.replace(/\u2603/g, '')) });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/\u2603/g, '')), fc.nat(), fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { maxLength: 8 }), (base, pick, events) => {
        const at = pick % (base.length + 1);
        let text = `${base.slice(0, at)}\u2603${base.slice(at)}`;
        const history = new EditHistory(7);
        let version = 7;
        for (const event of events) {
          // Non-overlapping changes in the offsets of the text before the event, none removing the marker.
          const marker = text.indexOf('\u2603');
          const changes: TextChange[] = [];
          for (const e of event) {
            const from = e.at % (text.length + 1);
            const to = Math.min(text.length, from + e.length);
            if (from <= marker && to > marker) continue;
            if (changes.some((c) => from < c.rangeOffset + c.rangeLength && to > c.rangeOffset) || changes.some((c) => c.rangeOffset === from || c.rangeOffset + c.rangeLength === from)) continue;
            changes.push({ rangeOffset: from, rangeLength: to - from, text: e.text });
          }
          if (changes.length === 0) continue;
          text = apply(text, changes);
          version += 1 + (changes.length % 2);
          history.record(version, changes);
        }
        assert.equal(history.offsetNow(at, 7), text.indexOf('\u2603'));
      }),
      { numRuns: 500 },
    );
  });

  it('the current version gives the offset as it is; a version it holds no edits from gives undefined', () => {
    const history = new EditHistory(3, 2);
    assert.equal(history.offsetNow(10, 3), 10);
    history.record(4, [{ rangeOffset: 0, rangeLength: 0, text: 'abc' }]);
    history.record(6, [{ rangeOffset: 0, rangeLength: 1, text: '' }]);
    assert.equal(history.offsetNow(10, 3), 12);
    assert.equal(history.offsetNow(10, 4), 9);
    assert.equal(history.offsetNow(10, 5), undefined);
    assert.equal(history.offsetNow(10, 6), 10);
    // Only the last two events are kept: version 3 is out of reach.
    history.record(7, [{ rangeOffset: 0, rangeLength: 0, text: 'x' }]);
    assert.equal(history.offsetNow(10, 3), undefined);
    assert.equal(history.offsetNow(10, 4), 10);
  });
});
