/**
 * `toolNames` (fileNames.ts): the classes a file hands to a model as a response or argument
 * schema. It only runs its schema expression in files that name one of its keywords, so each
 * keyword gets a line of its own here, and the oracle is the line read by hand: the class named.
 * The lines are written for these tests after the APIs they name (instructor's response_model,
 * the OpenAI Agents SDK's output_type, OpenAI's response_format and text_format, pydantic-ai's
 * output_type and result_type, LangChain's args_schema and with_structured_output, browser-use's
 * param_model).
 */
import * as assert from 'node:assert/strict';
import { toolNames } from '../../../../src/shared/prompt/scanner/fileNames';

/** The schema and argument-schema classes `toolNames` finds in one line of code. */
function schemasOf(line: string): { schemas: string[]; argsSchemas: string[] } {
  const names = toolNames(`import os\n${line}\n`);
  return { schemas: [...names.schemas], argsSchemas: [...names.argsSchemas] };
}

describe('toolNames: schema classes, one keyword at a time', () => {
  const cases: Array<[string, { schemas: string[]; argsSchemas: string[] }]> = [
    ['user = client.chat.completions.create(model="gpt-4o", response_model=UserInfo, messages=messages)', { schemas: ['UserInfo'], argsSchemas: [] }],
    ['agent = Agent(name="Triage", output_type=TriageResult)', { schemas: ['TriageResult'], argsSchemas: [] }],
    ['completion = client.beta.chat.completions.parse(model="gpt-4o", messages=messages, response_format=CalendarEvent)', { schemas: ['CalendarEvent'], argsSchemas: [] }],
    ['response = client.responses.parse(model="gpt-4o", input=messages, text_format=ResearchPaper)', { schemas: ['ResearchPaper'], argsSchemas: [] }],
    ['step = LlmStep(output_schema=Verdict)', { schemas: ['Verdict'], argsSchemas: [] }],
    ['agent = Agent("openai:gpt-4o", result_type=CityLocation)', { schemas: ['CityLocation'], argsSchemas: [] }],
    ['tool = StructuredTool(name="search", args_schema=SearchInput)', { schemas: [], argsSchemas: ['SearchInput'] }],
    ['registry.action("Click an element", param_model=ClickElementAction)', { schemas: [], argsSchemas: ['ClickElementAction'] }],
    ['structured = llm.with_structured_output(Joke)', { schemas: ['Joke'], argsSchemas: [] }],
    ['result = client.chat.completions.create(model="gpt-4o", messages=messages)', { schemas: [], argsSchemas: [] }],
  ];
  for (const [line, expected] of cases) {
    it(line, () => {
      assert.deepEqual(schemasOf(line), expected);
    });
  }
});
