// What the scanner missed or took wrongly in the held-out round 5 of the scan corpus (session 30, helper scan30:
// smol-ai/developer, vanna-ai/vanna, langroid/langroid, OpenBMB/ChatDev, FlowiseAI/Flowise, CopilotKit/CopilotKit,
// SWE-agent/SWE-agent). The real files are in test/fixtures/scan (SOURCES.md); the oracle is the file read by hand
// (annotations.json): which lines hold a prompt, of what kind, and which literals are the pieces of a composed one.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;
const line = (n: number): [number, number] => [n, n];

describe('findPrompts: held-out round 5 and the rules it asked for (session 30)', () => {
  it("langroid: a ToolMessage's purpose is its tool description, the thoughts of its examples() are few-shot examples", () => {
    assert.deepEqual(found('python/langroid_1_agent_3_tools.py'), [
      [22, 22, 'tool'],
      [32, 32, 'fewShot'],
      [40, 40, 'tool'],
      [48, 48, 'fewShot'],
      [56, 56, 'tool'],
      [63, 63, 'fewShot'],
      [120, 123, 'system'],
    ]);
  });

  it('a purpose attribute or an examples() method outside a langroid ToolMessage is not a prompt', () => {
    const src = [
      'from pydantic import BaseModel',
      '',
      'class Trip(BaseModel):',
      '    purpose: str = "Visit the customer to sign the renewal contract"',
      '',
      '    @classmethod',
      '    def examples(cls):',
      '        return [("Visit the plant in Porto to review the new line", cls())]',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'trips.py'), []);
    // langroid's XML tools are ToolMessages too (langroid/agent/tools/file_tools.py: `class WriteFileTool(XMLToolMessage)`).
    const xml = src.replace('from pydantic import BaseModel', 'from langroid.agent.xml_tool_message import XMLToolMessage').replace('(BaseModel)', '(XMLToolMessage)');
    assert.deepEqual(foundIn(xml, 'trips.py'), [
      [4, 4, 'tool'],
      [8, 8, 'fewShot'],
    ]);
  });

  it("vanna: a Tool's description property, its Tool[Args] model's field descriptions (short ones too) and docstring are tool descriptions", () => {
    assert.deepEqual(found('python/vanna_mock_custom_tool.py'), [
      [53, 53, 'tool'],
      [56, 56, 'tool'],
      [58, 58, 'tool'],
      [59, 59, 'tool'],
      [71, 71, 'tool'],
      [289, 289, 'user'],
    ]);
  });

  it("a description property of a class that is no tool, and a LangChain/CrewAI args_schema's docstring, are not prompts", () => {
    const src = [
      'class QuarterlyReport:',
      '    @property',
      '    def description(self) -> str:',
      '        return "Quarterly revenue summary prepared for the board meeting"',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'report.py'), []);
    // CrewAI's BaseTool sends the field descriptions of its args_schema, not the model's docstring (line 7).
    assert.deepEqual(found('python/crewai_custom_tool.py'), [
      [8, 8, 'tool'],
      [13, 13, 'tool'],
    ]);
  });

  it('a FastAPI route\'s response_model is no schema sent to a model: its docstring and short field descriptions stay silent', () => {
    const src = [
      'from fastapi import APIRouter',
      'from pydantic import BaseModel, Field',
      '',
      'router = APIRouter()',
      '',
      'class ImportedAgentsResponse(BaseModel):',
      '    """Response model for imported agents"""',
      '    agent_ids: list[str] = Field(..., description="Imported ids")',
      '',
      '@router.post("/agents/import", response_model=ImportedAgentsResponse, operation_id="import_agents")',
      'async def import_agents():',
      '    return ImportedAgentsResponse(agent_ids=[])',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'routes.py'), []);
    // The same model given to an LLM call (instructor's response_model) is a schema the model fills.
    const llm = src.replace('@router.post("/agents/import", response_model=ImportedAgentsResponse, operation_id="import_agents")\nasync def import_agents():\n    return ImportedAgentsResponse(agent_ids=[])', 'result = client.chat.completions.create(model="gpt-4o", response_model=ImportedAgentsResponse, messages=[])');
    assert.deepEqual(foundIn(`import instructor\n${llm}`, 'routes.py'), [
      [8, 8, 'tool'],
      [9, 9, 'tool'],
    ]);
  });

  it("vanna's DefaultSystemPromptBuilder: a list grown in branches, filtered by a comprehension and joined is one composed system prompt, its conditional items included", () => {
    const prompts = found('python/vanna_default_system_prompt.py');
    assert.equal(prompts.length, 1);
    const [start, end, kind, pieces] = prompts[0];
    assert.deepEqual([start, end, kind], [88, 88, 'system']);
    const lines = (pieces ?? []).map((p) => p[0]);
    // Every item with words (the annotation's pieces), the conditional f-strings of lines 108 and 112 and the
    // conditional literal of line 116 among them; not the separators `"\n" + "=" * 60` (76) and `"-" * 50` (82, 131).
    for (const n of [61, 63, 64, 65, 66, 71, 77, 81, 88, 90, 98, 106, 107, 108, 111, 112, 116, 120, 121, 122, 130, 133, 135, 140, 142, 144, 146, 149]) assert.ok(lines.includes(n), `piece on line ${n}`);
    for (const n of [76, 82, 131]) assert.ok(!lines.includes(n), `no piece on line ${n}`);
  });

  it('a list rebuilt by a comprehension that changes its items is not read as one composed prompt', () => {
    const src = [
      'from vanna import Agent',
      '',
      'def build_system_prompt(tools):',
      '    parts = [',
      '        "You are Vanna, an AI data analyst assistant created to help users with data analysis tasks.",',
      '        "Use the available tools to help the user accomplish their goals.",',
      '    ]',
      '    if tools:',
      '        parts.append("You have access to the tools listed by the administrator of this workspace.")',
      '    parts = [p.upper() for p in parts if p]',
      '    return "\\n".join(parts)',
    ].join('\n');
    assert.ok(foundIn(src, 'builder.py').every((p) => p.length === 3), 'no composed prompt');
    // Filtered only (`[p for p in parts if p]`), it is one.
    const filtered = foundIn(src.replace('[p.upper() for p in parts if p]', '[p for p in parts if p]'), 'builder.py');
    assert.deepEqual(filtered, [[5, 5, 'system', [line(5), line(6), line(9)]]]);
  });

  it("CopilotKit's agent-config prompt: the entries of rule tables spliced into a joined system prompt by key are template fragments", () => {
    assert.deepEqual(found('ts/copilotkit_agent_config_prompt.ts'), [
      [39, 39, 'template'],
      [41, 41, 'template'],
      [43, 43, 'template'],
      [47, 47, 'template'],
      [49, 49, 'template'],
      [50, 50, 'template'],
      [54, 54, 'template'],
      [55, 55, 'template'],
      [84, 84, 'system', [line(80), line(81), line(82), line(83), line(84)]],
    ]);
  });

  it('a table picked by key into text that is no prompt stays silent', () => {
    const src = [
      'const STATUS_TEXT: Record<string, string> = {',
      '  open: "The ticket is waiting for an agent to pick it up.",',
      '  closed: "The ticket was resolved and closed by the support team.",',
      '};',
      '',
      'export function statusLine(status: string): string {',
      '  return [`Status: ${STATUS_TEXT[status]}`, "", "Thanks for contacting us."].join("\\n");',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'status.ts'), []);
  });
});
