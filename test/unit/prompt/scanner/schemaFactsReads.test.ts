// breakidx37 (session 37): the editor's project-schema index (src/extension/prompt/projectSchemas.ts) runs schemaFacts
// on every Python file of a workspace folder, on the extension host's thread. Several of its reads started again at
// each match and read to the end of the file or line: 160 KB of `@r.get(` took 10.3 s, of `tools:` 4.6 s, and 100 KB of
// `class A(\n` 0.8 s (node /tmp script over schemaFacts, before/after in the report). Each is now one pass or bounded;
// these tests pin what they read, with values worked out by hand.
import * as assert from 'node:assert/strict';
import { schemaFacts } from '../../../../src/shared/prompt/scanner/projectSchemas';

const facts = (text: string): { web: string[]; sent: string[]; imports: string[]; classes: string[] } => {
  const f = schemaFacts(text);
  return { web: f.web, sent: f.sent, imports: [...f.imports].map(([k, v]) => `${k}=${v.module}.${v.name}`), classes: [...f.classes].map(([k, v]) => `${k}(${v.join(',')})`) };
};

describe('schemaFacts: what each read takes, bounded (breakidx37)', () => {
  it("a route in a docstring is no route (agno's cookbook/00_quickstart/agent_with_typed_input_output.py: an example in its closing docstring)", () => {
    // agno-agi/agno 9644f229 (Apache-2.0), lines 198-205, the example route that made both classes web records.
    const text = [
      'agent = Agent(input_schema=AnalysisRequest, output_schema=StockAnalysis)',
      '"""',
      'Typed input + output is perfect for:',
      '',
      '1. API endpoints',
      '   @app.post("/analyze")',
      '   def analyze(request: AnalysisRequest) -> StockAnalysis:',
      '       return agent.run(input=request).content',
      '"""',
      '',
    ].join('\n');
    assert.deepEqual(facts(text).web, []);
    assert.deepEqual(facts(text).sent, ['AnalysisRequest', 'StockAnalysis']);
    // A commented-out route neither.
    assert.deepEqual(facts('# @app.get("/items", response_model=Doc)\ndef items(q: Query): ...\n').web, []);
    // The same route in code is one.
    assert.deepEqual(facts('@app.post("/analyze")\ndef analyze(request: AnalysisRequest) -> StockAnalysis:\n    pass\n').web, ['AnalysisRequest', 'StockAnalysis']);
  });

  it("a route decorator never closed (being typed) reads nothing: it read the rest of the file, a later call's response_model= too", () => {
    const text = '@app.get("/x"\ndef f(q: Query):\n    pass\n\nclass Later(BaseModel):\n    name: str\n\nrun(response_model=Later)\n';
    assert.deepEqual(facts(text), { web: [], sent: ['Later'], imports: [], classes: ['Later(BaseModel)'] });
  });

  it('a route function of more than 20 stacked decorators is none (the decorators between the route and its def are read up to 20)', () => {
    const route = (n: number): string => `@app.get("/x")\n${'@auth\n'.repeat(n)}def f(q: Query) -> Out:\n    pass\n`;
    assert.deepEqual(facts(route(20)).web, ['Query', 'Out']);
    assert.deepEqual(facts(route(21)).web, []);
  });

  it('what the routes of a file read together is at most 4 characters per character of the file, plus 100,000 (nested decorators)', () => {
    // k nested `@r.get(`, closed, then a route of its own: the i-th nested one reads the 8·(k - 1 - i) characters inside
    // it, 4·k·(k - 1) together. The file is 8k + 44 characters long, so the budget is 4·(8k + 44) + 100,000.
    const text = (k: number): string => `${'@r.get('.repeat(k)}${')'.repeat(k)}\nx = 1\n@app.get("/y", response_model=Later)\n`;
    // k = 162: 104,328 read, and the route's 26 characters, within 105,360: Later is read.
    assert.equal(text(162).length, 1340);
    assert.deepEqual(facts(text(162)).web, ['Later']);
    // k = 163: 105,624 read, over 105,392: the budget is spent before the route.
    assert.equal(text(163).length, 1348);
    assert.deepEqual(facts(text(163)).web, []);
  });

  it('a parenthesized import list ends at the next `)`, an unclosed one at its line; a class header and an annotation are read up to 500 and 300 characters', () => {
    assert.deepEqual(facts('from .a import (\n  B,\n  C as D\n)\nfrom q import (R\nfrom s import T\n').imports, ['B=.a.B', 'D=.a.C', 'R=q.R', 'T=s.T']);
    assert.deepEqual(facts(`class A(${'B'.repeat(498)}):\n    x: int\n`).classes, [`A(${'B'.repeat(498)})`]);
    assert.deepEqual(facts(`class A(${'B'.repeat(501)}):\n    x: int\n`).classes, []);
    // (`: `, the annotation and ` ` between `tools` and `=`: 298 + 2 characters.)
    assert.deepEqual(facts(`tools: ${'L'.repeat(298)} = [Search]\n`).sent, ['Search']);
    assert.deepEqual(facts(`tools: ${'L'.repeat(299)} = [Search]\n`).sent, []);
    // A tools list of up to 2,000 characters, as before (8 + 1,985 + 7).
    assert.deepEqual(facts(`tools = [Search, ${' '.repeat(1985)}Weather]\n`).sent, ['Search', 'Weather']);
    assert.deepEqual(facts(`tools = [Search, ${' '.repeat(1986)}Weather]\n`).sent, []);
  });

  it('files made of one unclosed construct repeated (2 MB, the size the index reads) come back with their exact facts', () => {
    const of = (unit: string): ReturnType<typeof facts> => facts(unit.repeat(Math.ceil(2_000_000 / unit.length)));
    assert.deepEqual(of('@r.get('), { web: [], sent: [], imports: [], classes: [] });
    assert.deepEqual(of('tools:'), { web: [], sent: [], imports: [], classes: [] });
    assert.deepEqual(of('response_model=A['), { web: [], sent: ['A'], imports: [], classes: [] });
    assert.deepEqual(of('def get_args_schema(\n'), { web: [], sent: [], imports: [], classes: [] });
    assert.deepEqual(of('class A(\n'), { web: [], sent: [], imports: [], classes: [] });
    assert.deepEqual(of('from a import (\n').imports, []);
    assert.deepEqual(of('x_tools=['), { web: [], sent: [], imports: [], classes: [] });
  });
});
