// What a new user of MetaGPT saw in the editor (newuser31): prompts MetaGPT sends that had no lens.
// Fixtures: excerpts of geekan/MetaGPT (MIT) in test/fixtures/hints-real (SOURCES.md).
// Oracle: the files read by hand, with MetaGPT's own code for what reaches the model:
// - `ActionNode.compile` writes every node's `instruction` into the prompt it sends
//   (`## nodes: "<node>: <type>  # <instruction>"`, metagpt/actions/action_node.py). Four instructions of
//   write_prd_an.py had a lens and two ("Place the original user's requirements here.") had none: the
//   keyword alone gave 0.88 and a short sentence without a task verb did not reach the threshold.
// - `Role._get_prefix` writes a role's `profile`, `goal` and `constraints` into its system prompt
//   ("You are a {profile}, named {name}, your goal is {goal}. the constraint is {constraints}.",
//   metagpt/roles/role.py): the class attributes of `Engineer(Role)` and `ProductManager(RoleZero)` had no lens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const dir = path.resolve(__dirname, '../../../../../test/fixtures/hints-real');

function found(file: string): Array<[number, string, string | undefined, string]> {
  return findPrompts(fs.readFileSync(path.join(dir, file), 'utf8'), 'python', { fileName: file }).map((p) => [p.range.start.line + 1, p.kind, p.boundName, p.text]);
}

describe('MetaGPT: ActionNode instructions and role goals are prompts (newuser31)', () => {
  it('every ActionNode instruction of write_prd_an.py is found, as text of the prompt it compiles; no example', () => {
    assert.deepEqual(found('metagpt_write_prd_an.py'), [
      [15, 'user', 'instruction', "Provide the language used in the project, typically matching the user's requirement language."],
      [22, 'user', 'instruction', 'Mainstream programming language. If not specified in the requirements, use Vite, React, MUI, Tailwind CSS.'],
      [29, 'user', 'instruction', "Place the original user's requirements here."],
      [36, 'user', 'instruction', "Place the New user's original requirements here."],
    ]);
  });

  it('the goal and constraints of a RoleZero subclass are system prompt text; its name and profile are not lensed', () => {
    assert.deepEqual(found('metagpt_product_manager.py'), [
      [34, 'system', 'goal', 'Create a Product Requirement Document or market research/competitive product research.'],
      [35, 'system', 'constraints', 'utilize the same language as the user requirements for seamless communication'],
    ]);
  });

  it('the goal and the parenthesised two-literal constraints of a Role subclass, beside the file\'s template', () => {
    const prompts = found('metagpt_engineer.py');
    assert.deepEqual(prompts.map(([line, kind, name]) => [line, kind, name]), [
      [63, 'template', 'IS_PASS_PROMPT'],
      [88, 'system', 'goal'],
      [90, 'system', 'constraints'],
    ]);
    assert.equal(prompts[2][3], 'the code should conform to standards like google-style and be modular and maintainable. Use same language as user requirement');
  });

  it('an `instruction=` of another class, and a goal of a class that is no MetaGPT role, stay as they were', () => {
    const src = [
      'class Job(Task):',
      '    profile: str = "nightly"',
      '    goal: str = "Keep the nightly export under five minutes."',
      '',
      'NODE = Widget(key="Language", expected_type=str, instruction="Place the original requirements here.")',
      '',
    ].join('\n');
    assert.deepEqual(findPrompts(src, 'python', { fileName: 'jobs.py' }).map((p) => p.boundName), []);
  });
});

// left35: ask_review.py's `ReviewConst.TASK_REVIEW_INSTRUCTION`, `CODE_REVIEW_INSTRUCTION` and `EXIT_INSTRUCTION` were three
// system prompts (by their names). AskReview.run splices them into `prompt` (two of them through `review_instruction`) and
// asks the person with `get_human_input(prompt)` (metagpt/logs.py reads the terminal); the planner sends the person's
// answer, never these words, to the model. MetaGPT's other uses of ReviewConst (planner.py, data_interpreter.py) read only
// its triggers and word lists.
describe('MetaGPT: class attributes that only reach the person at the terminal are not prompts (left35)', () => {
  it("ask_review.py: ReviewConst's three instructions are questions for the person, not prompts", () => {
    assert.deepEqual(found('metagpt_ask_review.py'), []);
  });

  it('the same class attribute used in a message to a model, too, stays a prompt; so does one the file never uses', () => {
    const src = fs.readFileSync(path.join(dir, 'metagpt_ask_review.py'), 'utf8');
    const sent = `${src}

async def summarize(llm):
    return await llm.aask(ReviewConst.EXIT_INSTRUCTION, system_msgs=["You are a careful reviewer of data science plans."])
`;
    assert.deepEqual(found2(sent).filter(([, , name]) => name === 'EXIT_INSTRUCTION').map(([line, kind]) => [line, kind]), [[24, 'system']]);
    const unused = src.replace(/ReviewConst\.CODE_REVIEW_INSTRUCTION/g, 'CODE_REVIEW_TEXT');
    assert.deepEqual(found2(unused).map(([line, , name]) => [line, name]), [[21, 'CODE_REVIEW_INSTRUCTION']]);
  });
});

function found2(src: string): Array<[number, string, string | undefined]> {
  return findPrompts(src, 'python', { fileName: 'ask_review.py' }).map((p) => [p.range.start.line + 1, p.kind, p.boundName]);
}
