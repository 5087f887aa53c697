/**
 * CrewAI tasks defined in code: `Task(description=…, expected_output=…, agent=…)`, CrewAI's quick-start shape, found in
 * many public crews (e.g. crewAIInc/crewAI-examples crews/calendar-scheduling/tasks.py). CrewAI sends the description
 * and the expected output to the agent's model as the task prompt; neither was found before. Expected values by hand.
 */
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const crew = [
  'from crewai import Agent, Task',
  '',
  'research_task = Task(',
  '    description=(',
  '        "Identify the next big trend in {topic}. "',
  '        "Focus on the pros and cons and the overall narrative."',
  '    ),',
  '    expected_output="A three-paragraph report on {topic}.",',
  '    agent=researcher,',
  ')',
  '',
].join('\n');

describe('CrewAI Task(description=…, expected_output=…) in code (prompt finding)', () => {
  it('the description and the expected output are prompts of the task, with their placeholders', () => {
    const found = findPrompts(crew, undefined, { fileName: 'tasks.py' });
    assert.deepEqual(
      found.map((p) => [p.kind, p.text, p.range.start.line + 1]),
      [
        ['user', 'Identify the next big trend in {topic}. Focus on the pros and cons and the overall narrative.', 5],
        ['user', 'A three-paragraph report on {topic}.', 8],
      ],
    );
  });

  it('a Task of another library (no crewai import) is not CrewAI', () => {
    assert.deepEqual(findPrompts(crew.replace('from crewai import Agent, Task', 'from asyncio import Task'), undefined, { fileName: 'tasks.py' }), []);
  });
});
