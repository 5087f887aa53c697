// Web API records are not prompts (issue 12, item 6; session 31): letta's REST request and response models
// (letta/schemas/*.py) carry a `Field(description=…)` on every field, for the OpenAPI document, while browser-use's
// action models (browser_use/tools/views.py), written the same way, are passed as `param_model=` to the LLM's tool
// registry in another file. The real files are excerpts in test/fixtures/web-records (SOURCES.md); the oracle is the
// files read by hand: which classes a route uses and which are sent to a model.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { routeDecoratorBefore, schemaFacts, webOnlyClasses } from '../../../../src/shared/prompt/scanner/projectSchemas';
import { scanPaths } from '../../../../src/shared/prompt/scanner/scanFiles';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'web-records');

/** The 1-based start line of every prompt `prompt scan` finds under a project folder, by file (relative, `/`-separated). */
function scanProject(folder: string): Record<string, number[]> {
  const root = join(FIXTURES, folder);
  const out: Record<string, number[]> = {};
  for (const r of scanPaths([root])) out[relative(root, r.file).replace(/\\/g, '/')] = r.prompts.map((p) => p.range.start.line + 1);
  return out;
}

const linesIn = (src: string, fileName: string, webOnly?: ReadonlySet<string>): number[] =>
  findPrompts(src, undefined, { fileName, ...(webOnly ? { webOnlyClasses: webOnly } : {}) }).map((p) => p.range.start.line + 1);

describe('findPrompts: web API records are not prompts (project-level evidence, session 31)', () => {
  it("letta: the Field descriptions of Step, which its steps router returns, are silent; a test's own Step, a tool's arguments, is still reported", () => {
    assert.deepEqual(scanProject('letta'), {
      // Every field of letta's Step (letta/schemas/step.py) is documentation of GET /v1/steps.
      'letta/schemas/step.py': [],
      'letta/server/rest_api/routers/v1/steps.py': [],
      // A class of the same name, in a file of tool functions: `create_task_plan(steps: list[Step])` is sent as a tool,
      // and the routes import letta.schemas.step's Step, not this one.
      'tests/test_tool_schema_parsing_files/list_of_pydantic_example.py': [7, 11, 15, 22],
    });
  });

  it("letta, scanned without letta/schemas (prompt scan tests letta/server): the router's Step comes from outside the scan, so the test's own Step, a tool's arguments, is still reported", () => {
    const root = join(FIXTURES, 'letta');
    const found: Record<string, number[]> = {};
    for (const r of scanPaths([join(root, 'tests'), join(root, 'letta', 'server')])) found[relative(root, r.file).replace(/\\/g, '/')] = r.prompts.map((p) => p.range.start.line + 1);
    // break31b: the route's `from letta.schemas.step import Step` resolved to no scanned file, so it fell back to every
    // class named Step, and the tool's Step lost 3 of its 4 lenses.
    assert.deepEqual(found, {
      'letta/server/rest_api/routers/v1/steps.py': [],
      'tests/test_tool_schema_parsing_files/list_of_pydantic_example.py': [7, 11, 15, 22],
    });
    // A route's class imported from a library is none of the project's classes; one imported by a star import still is.
    const tool = 'from pydantic import BaseModel, Field\n\nclass Document(BaseModel):\n    text: str = Field(description="The passage to cite.")\n';
    const fromLibrary = 'from langchain_core.documents import Document\n\n@router.get("/docs")\ndef docs() -> list[Document]:\n    ...\n';
    assert.deepEqual(webOnlyClasses([['app/tools.py', schemaFacts(tool)], ['app/api.py', schemaFacts(fromLibrary)]]), new Map());
    const star = 'from app.tools import *\n\n@router.get("/docs")\ndef docs() -> list[Document]:\n    ...\n';
    assert.deepEqual(webOnlyClasses([['app/tools.py', schemaFacts(tool)], ['app/api.py', schemaFacts(star)]]), new Map([['app/tools.py', new Set(['Document'])]]));
  });

  it("browser-use: the action models of tools/views.py, passed as param_model= in tools/service.py, are still reported", () => {
    assert.deepEqual(scanProject('browser-use'), {
      'browser_use/tools/service.py': [44, 57, 64],
      // Every Field description of ExtractAction, SearchPageAction and FindElementsAction.
      'browser_use/tools/views.py': [11, 15, 18, 22, 26, 31, 32, 33, 34, 35, 36, 40, 43, 45, 46],
    });
  });

  it("Langchain-Chatchat's python-sdk: a request body the client fills and serializes (`ChatFeedbackParam(…).dict()` posted as json=) is a record", () => {
    // Before: the three Field descriptions of chat_feedback_param.py were reported as tool prompts (40 such in the sdk).
    assert.deepEqual(scanProject('chatchat'), {
      'libs/python-sdk/open_chatcaht/api/chat/chat_client.py': [],
      'libs/python-sdk/open_chatcaht/types/chat/chat_feedback_param.py': [],
    });
    const file = join(FIXTURES, 'chatchat', 'libs', 'python-sdk', 'open_chatcaht', 'types', 'chat', 'chat_feedback_param.py');
    assert.deepEqual(linesIn(readFileSync(file, 'utf8'), file), [5, 6, 7], 'alone, the file is judged as before');
  });

  it('a class filled and serialized is still sent when a file hands it to a model, and a test that serializes one writes what a model answers', () => {
    const models = 'from pydantic import BaseModel, Field\n\nclass Plan(BaseModel):\n    steps: list[str] = Field(description="The steps of the plan, in order.")\n';
    const client = 'from app.models import Plan\n\ndef save(steps):\n    requests.post(URL, json=Plan(\n        steps=steps,\n    ).model_dump())\n';
    assert.deepEqual(webOnlyClasses([['app/models.py', schemaFacts(models)], ['app/client.py', schemaFacts(client)]]), new Map([['app/models.py', new Set(['Plan'])]]));
    const llm = 'from app.models import Plan\n\nplan = client.beta.chat.completions.parse(model="gpt-4o", messages=messages, response_format=Plan)\n';
    assert.deepEqual(webOnlyClasses([['app/models.py', schemaFacts(models)], ['app/client.py', schemaFacts(client)], ['app/llm.py', schemaFacts(llm)]]), new Map());
    // langroid's tests/main/test_task_tool.py: the mock model's answer is `TaskTool(…).model_dump_json()`; TaskTool is a tool
    // the agent enables (`enable_message([TaskTool, DoneTool])`).
    const test = 'import pytest\n\ndef test_task_tool():\n    cfg = MockLMConfig(default_response=Plan(steps=["a"]).model_dump_json())\n';
    assert.deepEqual(webOnlyClasses([['app/models.py', schemaFacts(models)], ['tests/test_plan.py', schemaFacts(test)]]), new Map());
    assert.deepEqual(schemaFacts('planner.enable_message([TaskTool, DoneTool])\n').sent, ['TaskTool', 'DoneTool']);
    // A call's result serialized is no constructor: `Plan.parse(x).dict()` and `get_plan(x).dict()` name no record.
    assert.deepEqual(schemaFacts('data = get_plan(x).dict()\nother = Plan.parse(x).dict()\n').web, []);
  });

  it('break32a: a record serialized is a request body only when an HTTP call takes it; a few-shot example of a class sent by an unlisted call stays sent', () => {
    const models = 'from pydantic import BaseModel, Field\n\nclass Answer(BaseModel):\n    answer: str = Field(description="The answer to the question, in one sentence.")\n';
    // The model's answer format shown as an example in a prompt, while the class goes to the model through marvin's
    // `cast(…, target=…)`, DSPy's OutputField or a variable given to with_structured_output (none of them listed): before,
    // the example alone made Answer web-only and its descriptions were silenced.
    const example = 'from app.models import Answer\n\nEXAMPLE = Answer(answer="Paris is the capital of France.").model_dump_json()\nPROMPT = f"Answer like this: {EXAMPLE}"\n';
    const marvin = 'import marvin\nfrom app.models import Answer\n\ndef ask(q):\n    return marvin.cast(q, target=Answer)\n';
    assert.deepEqual(schemaFacts(example).web, []);
    assert.deepEqual(webOnlyClasses([['app/models.py', schemaFacts(models)], ['app/prompts.py', schemaFacts(example)], ['app/llm.py', schemaFacts(marvin)]]), new Map());
    // A call shown in a docstring or a comment is no call.
    const doc = 'def save(steps):\n    """Posts the plan: requests.post(URL, json=Plan(steps=steps).model_dump())."""\n    # requests.post(URL, json=Plan(steps=steps).dict())\n    return None\n';
    assert.deepEqual(schemaFacts(doc).web, []);
    // Posted directly, or bound to a name a body keyword takes (parentheses inside its strings do not end the call).
    assert.deepEqual(schemaFacts('requests.post(URL, json=Plan(note="a) b (c", steps=s).model_dump())\n').web, ['Plan']);
    assert.deepEqual(schemaFacts('def kb(name):\n    params = DeleteKnowledgeBaseParam(knowledge_base_name=name).dict()\n    response = self._get(API_URI, params=params)\n').web, ['DeleteKnowledgeBaseParam']);
    // A server-sent event's payload (letta/services/streaming_service.py at 56ba9c2, Apache-2.0): LettaPing is a stream's keep-alive.
    const sse = 'async def stream(run_id):\n    yield (\n        "data: "\n        + LettaPing(\n            id=f"ping-{uuid4()}",\n            run_id=run_id,\n        ).model_dump_json()\n        + "\\n\\n"\n    )\n';
    assert.deepEqual(schemaFacts(sse).web, ['LettaPing']);
    // Bound to a name that no HTTP call takes (logged, cached, written into a prompt): no request body.
    assert.deepEqual(schemaFacts('def log(p):\n    record = Plan(steps=p).model_dump_json()\n    logger.info(record)\n').web, []);
  });

  it('without the project index, a file alone is judged as before (fails open)', () => {
    const file = join(FIXTURES, 'letta', 'letta', 'schemas', 'step.py');
    const alone = linesIn(readFileSync(file, 'utf8'), file);
    // The scanner before this change reported these 29 of Step's 31 field descriptions (not the short "Metadata tags." and one more).
    assert.deepEqual(alone, [17, 18, 19, 20, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 35, 38, 41, 43, 45, 47, 49, 50, 51, 54, 58, 60, 63, 65]);
    assert.deepEqual(linesIn(readFileSync(file, 'utf8'), file, new Set(['Step'])), []);
  });

  it('a response_model= is a route\'s when a route decorator opens just before it, on the first line too, and not a call\'s far below one', () => {
    const route = '@router.get("/steps/{step_id}", response_model=Step, operation_id="retrieve_step")';
    assert.equal(routeDecoratorBefore(route, route.indexOf('response_model')), true);
    const later = `from fastapi import APIRouter\n${route}\ndef get(step_id: str):\n    return 1\n`;
    assert.equal(routeDecoratorBefore(later, later.indexOf('response_model')), true);
    // A call of a client 3,000 characters below the route (break31b: a file of such calls read the whole file before each).
    const below = `${later}${'x = 1\n'.repeat(500)}client.chat.completions.create(response_model=Answer)\n`;
    assert.equal(routeDecoratorBefore(below, below.lastIndexOf('response_model')), false);
    const calls = 'client.create(response_model=A)\n'.repeat(200);
    assert.equal(routeDecoratorBefore(calls, calls.lastIndexOf('response_model')), false);
  });

  it("reads the steps router: the route's response model, the imported module of each name", () => {
    const facts = schemaFacts(readFileSync(join(FIXTURES, 'letta', 'letta', 'server', 'rest_api', 'routers', 'v1', 'steps.py'), 'utf8'));
    assert.ok(facts.web.includes('Step'));
    assert.ok(facts.web.includes('HeaderParams'));
    assert.deepEqual(facts.sent, []);
    assert.deepEqual(facts.imports.get('Step'), { module: 'letta.schemas.step', name: 'Step' });
    assert.deepEqual(facts.imports.get('HeaderParams'), { module: 'letta.server.rest_api.dependencies', name: 'HeaderParams' });
  });

  it('a class a route returns and another file sends to a model is sent: it stays reported', () => {
    const models = 'from pydantic import BaseModel, Field\n\nclass Answer(BaseModel):\n    text: str = Field(description="The answer to the question, in one sentence.")\n';
    const route = '@app.post("/ask", response_model=Answer)\nasync def ask(q: Question) -> Answer:\n    ...\n';
    const llm = 'completion = client.beta.chat.completions.parse(model="gpt-4o", messages=messages, response_format=Answer)\n';
    assert.deepEqual(webOnlyClasses([['app/models.py', schemaFacts(models)], ['app/routes.py', schemaFacts(route)], ['app/llm.py', schemaFacts(llm)]]), new Map());
    const index = webOnlyClasses([['app/models.py', schemaFacts(models)], ['app/routes.py', schemaFacts(route)]]);
    assert.deepEqual(index, new Map([['app/models.py', new Set(['Answer'])]]));
  });

  it('a class a route returns is sent when another file hands it to an output parser, a Gemini config, a CrewAI task, a LlamaIndex program or a tools list bound first', () => {
    // Each of these writes the class's JSON schema (its Field descriptions) into what the model reads; break31b found
    // every one of them silenced as a web record when a route also returned the class.
    const models = 'from pydantic import BaseModel, Field\n\nclass MovieReview(BaseModel):\n    title: str = Field(description="The exact title of the movie being reviewed.")\n';
    const route = 'from app.schemas import MovieReview\n\n@router.get("/reviews/{rid}", response_model=MovieReview)\ndef get_review(rid: int) -> MovieReview:\n    ...\n';
    const senders = [
      'parser = PydanticOutputParser(pydantic_object=MovieReview)',
      'parser = JsonOutputParser(pydantic_object=MovieReview)',
      'config = types.GenerateContentConfig(response_mime_type="application/json", response_schema=MovieReview)',
      'config = {"response_mime_type": "application/json", "response_schema": MovieReview}',
      'task = Task(description="Review the movie", agent=critic, output_pydantic=MovieReview)',
      'task = Task(description="Review the movie", agent=critic, output_json=MovieReview)',
      'program = LLMTextCompletionProgram.from_defaults(output_cls=MovieReview, prompt_template_str=template)',
      'sllm = llm.as_structured_llm(MovieReview)',
      'review = llm.structured_predict(MovieReview, prompt, text=text)',
      'generator = outlines.generate.json(model, MovieReview)',
      'structured = llm.with_structured_output(schema=MovieReview)',
      'agent = Agent("openai:gpt-4o", output_type=ToolOutput(MovieReview))',
      'TOOLS = [MovieReview]\nllm = llm.bind_tools(TOOLS)',
      'review_tools = [MovieReview]\nllm = llm.bind_tools(review_tools)',
    ];
    for (const sender of senders) {
      const llm = `from app.schemas import MovieReview\n\n${sender}\n`;
      assert.deepEqual(webOnlyClasses([['app/schemas.py', schemaFacts(models)], ['app/routes.py', schemaFacts(route)], ['app/llm.py', schemaFacts(llm)]]), new Map(), sender);
    }
    assert.deepEqual(webOnlyClasses([['app/schemas.py', schemaFacts(models)], ['app/routes.py', schemaFacts(route)]]), new Map([['app/schemas.py', new Set(['MovieReview'])]]));
  });

  it("a class named after a module (schemas.Answer) is another file's class, not the file's own class of that name", () => {
    const models = 'from pydantic import BaseModel, Field\n\nclass Answer(BaseModel):\n    text: str = Field(description="The answer to the question, in one sentence.")\n';
    const route = 'from app.schemas import Answer\n\n@router.post("/ask", response_model=Answer)\nasync def ask(q: str) -> Answer:\n    ...\n';
    // break31b: the subclass sent to the model has the record's fields, but its base `schemas.Answer` was read as the file's
    // own Answer (itself), so the record's Field descriptions were silenced.
    const subclass = 'from app import schemas\n\nclass Answer(schemas.Answer):\n    pass\n\nr = client.beta.chat.completions.parse(model="gpt-4o", messages=[], response_format=Answer)\n';
    assert.deepEqual(webOnlyClasses([['app/schemas.py', schemaFacts(models)], ['app/routes.py', schemaFacts(route)], ['app/llm.py', schemaFacts(subclass)]]), new Map());
    const qualified = 'from app import schemas\n\nclass Answer:\n    pass\n\nschema = schemas.Answer.model_json_schema()\n';
    assert.deepEqual(webOnlyClasses([['app/schemas.py', schemaFacts(models)], ['app/routes.py', schemaFacts(route)], ['app/llm.py', schemaFacts(qualified)]]), new Map());
  });

  it('follows field types, bases and type aliases from a route, and re-exports through a package __init__', () => {
    const schemas = [
      'from typing import Annotated, Union',
      'from pydantic import BaseModel, Field',
      'class Base(BaseModel):',
      '    id: str = Field(description="The id of the record.")',
      'class TextPart(BaseModel):',
      '    text: str',
      'class ImagePart(BaseModel):',
      '    url: str',
      'Part = Annotated[',
      '    Union[TextPart, ImagePart],',
      '    Field(discriminator="type"),',
      ']',
      'class Record(Base):',
      '    parts: list[Part]',
      'class Unused(BaseModel):',
      '    name: str = Field(description="Never used by a route.")',
    ].join('\n');
    const init = 'from .records import Record\n';
    const route = 'from app.schemas import Record\n\n@router.get("/records/{id}")\ndef get_record(id: str) -> Record:\n    ...\n';
    const index = webOnlyClasses([['app/schemas/records.py', schemaFacts(schemas)], ['app/schemas/__init__.py', schemaFacts(init)], ['app/api.py', schemaFacts(route)]]);
    assert.deepEqual(index.get('app/schemas/records.py'), new Set(['Record', 'Base', 'Part', 'TextPart', 'ImagePart']));
  });

  it("in one file: a request model that only the file's own route takes is silent, unless the file also sends it to a model", () => {
    const head = [
      'from fastapi import APIRouter',
      'from pydantic import BaseModel, Field',
      '',
      'class GenerateToolInput(BaseModel):',
      '    prompt: str = Field(..., description="Description of the tool to generate, written for the person who asked for it.")',
      '',
      '@router.post("/generate", response_model=str)',
      'async def generate(request: GenerateToolInput):',
      '    ...',
    ];
    assert.deepEqual(linesIn(head.join('\n'), 'routes.py'), []);
    const sent = [...head, 'result = client.beta.chat.completions.parse(model="gpt-4o", messages=[], response_format=GenerateToolInput)'];
    assert.deepEqual(linesIn(sent.join('\n'), 'routes.py'), [5]);
  });
  it("vanna: LlmRequest, which the agent builds itself (LlmRequest(messages=…)), is a record; the tools' argument models keep their descriptions (session 39)", () => {
    // (Scanned from the fixture's src folder, as `prompt scan src` would.)
    assert.deepEqual(scanProject('vanna/src'), {
      // "Message role", "Messages to send", "System prompt for the LLM"…: documentation of the request the agent builds
      // itself (LlmMessage too: the agent builds it, `LlmMessage(role=…, content=…)`).
      'vanna/core/llm/__init__.py': [],
      'vanna/core/llm/models.py': [],
      'vanna/core/agent/agent.py': [],
      // RunPythonFileArgs and PipInstallArgs (docstring and every Field description) and each tool's `description`.
      'vanna/tools/python.py': [26, 29, 33, 38, 54, 87, 90, 94, 98, 103, 119],
    });
  });

  it('a class the program builds with field values is a record unless a file sends it; a parse of an answer (X(**data)), a test and an example call in a string build nothing', () => {
    const models = 'from pydantic import BaseModel, Field\n\nclass Ticket(BaseModel):\n    title: str = Field(description="The title of the support ticket")\n';
    const builds = 'from app.models import Ticket\n\ndef open_ticket(title):\n    return Ticket(title=title)\n';
    assert.deepEqual(webOnlyClasses([['app/models.py', schemaFacts(models)], ['app/service.py', schemaFacts(builds)]]), new Map([['app/models.py', new Set(['Ticket'])]]));
    const sends = 'from app.models import Ticket\n\nticket = client.beta.chat.completions.parse(model=m, messages=msgs, response_format=Ticket)\n';
    assert.deepEqual(webOnlyClasses([['app/models.py', schemaFacts(models)], ['app/service.py', schemaFacts(builds)], ['app/llm.py', schemaFacts(sends)]]), new Map());
    const parses = 'from app.models import Ticket\n\ndef read(data):\n    return Ticket(**data)\n';
    const inTest = 'import pytest\nfrom app.models import Ticket\n\ndef test_ticket():\n    assert Ticket(title="x").title == "x"\n';
    const inString = 'from app.models import Ticket\n\nPROMPT = "Answer with Ticket(title=...) only."  # Ticket(title=…) again\n';
    for (const other of [parses, inTest, inString]) assert.deepEqual(schemaFacts(other).built, []);
    // A file in a test folder builds a mock model's answers (cognee's tests/ scripts, no pytest import): not a record's
    // maker. The folder is read below the one all files share (a project kept under /home/u/test/ is not all tests).
    assert.deepEqual(webOnlyClasses([['/p/app/models.py', schemaFacts(models)], ['/p/app/tests/mock_llm.py', schemaFacts(builds)]]), new Map());
    assert.deepEqual(webOnlyClasses([['/home/u/test/app/models.py', schemaFacts(models)], ['/home/u/test/app/service.py', schemaFacts(builds)]]), new Map([['/home/u/test/app/models.py', new Set(['Ticket'])]]));
    assert.deepEqual(schemaFacts(builds).built, ['Ticket']);
    assert.deepEqual(schemaFacts('x = schemas.Ticket(title="a") if Ticket == y else None\n').built, ['.Ticket']);
    // A built record's bases are records too; what its fields hold is not (cognee's DocumentChunk holds the Event schema
    // its LLM fills, handed over through a call not listed here: `extract_event_graph(chunk.text, EventList)`).
    const schema = 'from pydantic import BaseModel, Field\n\nclass Event(BaseModel):\n    name: str = Field(description="The event, in a few words")\n';
    const chunk = 'from app.schema import Event\n\nclass Base(BaseModel):\n    id: str = Field(description="Identifier")\n\nclass DocumentChunk(Base):\n    text: str\n    contains: list[Event] = []\n\ndef chunk(t):\n    return DocumentChunk(text=t)\n';
    assert.deepEqual(webOnlyClasses([['app/schema.py', schemaFacts(schema)], ['app/chunks.py', schemaFacts(chunk)]]), new Map([['app/chunks.py', new Set(['DocumentChunk', 'Base'])]]));
    // A tool's arguments model named by the tool class's `args_model` (openai-agents' sandbox ExecCommandTool) is sent.
    const tool = 'class ExecCommandArgs(BaseModel):\n    cmd: str = Field(description="Shell command to execute.")\n\nclass ExecCommandTool(BaseModel):\n    args_model: ClassVar[type[ExecCommandArgs]] = ExecCommandArgs\n\ndef make(s):\n    return ExecCommandTool(session=s)\n';
    assert.deepEqual(webOnlyClasses([['tools.py', schemaFacts(tool)]]), new Map([['tools.py', new Set(['ExecCommandTool'])]]));
  });
  it("a Field in a tool function's parameters describes the parameter, not a field of the class whose method holds it (LiveKit's drive_thru agent, built as DriveThruAgent(userdata=…))", () => {
    // Shape of livekit/agents examples/drive_thru/agent.py at da6af86 (Apache-2.0): the agent class is built by the
    // program, and its method makes a function tool whose parameters carry their descriptions in `Field(…)`.
    const src = [
      'from typing import Annotated',
      'from pydantic import Field',
      'from livekit.agents import Agent, function_tool',
      '',
      'class DriveThruAgent(Agent):',
      '    def build_combo_order_tool(self, combo_items):',
      '        @function_tool',
      '        async def order_combo_meal(',
      '            ctx,',
      '            meal_id: Annotated[',
      '                str,',
      '                Field(',
      '                    description="The ID of the combo meal the user requested.",',
      '                ),',
      '            ],',
      '        ):',
      '            """Call this when the user orders a Combo Meal."""',
      '            return meal_id',
      '        return order_combo_meal',
      '',
      'async def entrypoint(ctx):',
      '    await session.start(agent=DriveThruAgent(userdata=userdata), room=ctx.room)',
      '',
    ].join('\n');
    const records = webOnlyClasses([['examples/drive_thru/agent.py', schemaFacts(src)]]);
    assert.deepEqual(records, new Map([['examples/drive_thru/agent.py', new Set(['DriveThruAgent'])]]));
    assert.deepEqual(linesIn(src, 'agent.py', records.get('examples/drive_thru/agent.py')), [13, 17]);
  });
});
