import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// newuser34's findings on bytedance/deer-flow (MIT, commit f1f4af99bbf1cffb83a80744bf6e4a44ee8f24be), item 5:
// backend/app/gateway/auth/models.py and backend/app/gateway/routers/channel_connections.py. The snippets below are written
// for these tests in the shape of that code; no deer-flow text is copied.
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind}`);

describe('findPrompts: the Field descriptions of a record the program stamps (uuid4, a _utc_now helper) are no tool prompts', () => {
  const record = (idFactory: string, timeFactory: string) =>
    [
      'from datetime import UTC, datetime',
      'from uuid import UUID, uuid4',
      'from pydantic import BaseModel, Field',
      '',
      'def _utc_now() -> datetime:',
      '    return datetime.now(UTC)',
      '',
      'class Account(BaseModel):',
      `    id: UUID = Field(default_factory=${idFactory}, description="Primary key of the account row")`,
      '    email: str = Field(..., description="The address the account signs in with")',
      '    secret_hash: str | None = Field(None, description="argon2 hash, empty for accounts that sign in through SSO")',
      `    created_at: datetime = Field(default_factory=${timeFactory})`,
      '    login_count: int = Field(default=0, description="Raised on every sign-in to detect stale sessions")',
      '',
    ].join('\n');

  it('with `default_factory=uuid4` or `_utc_now` the class is a record, its descriptions documentation', () => {
    // Before: ['9 tool', '10 tool', '11 tool', '13 tool'] for each (the deer-flow file gave 6 tool prompts).
    assert.deepEqual(found(record('uuid4', 'dict'), 'models.py'), []);
    assert.deepEqual(found(record('list', '_utc_now'), 'models.py'), []);
  });

  it('a class with no stamped field, and one passed to a model as a schema, keep their descriptions', () => {
    assert.deepEqual(found(record('list', 'dict'), 'models.py'), ['9 tool', '10 tool', '11 tool', '13 tool']);
    const sent = `${record('uuid4', '_utc_now')}\nfrom openai import OpenAI\nclient = OpenAI()\nclient.responses.parse(model="gpt-4o", input="Fill the account", text_format=Account)\n`;
    assert.deepEqual(found(sent, 'models.py').filter((l) => l.endsWith('tool')), ['9 tool', '10 tool', '11 tool', '13 tool']);
  });
});

describe('findPrompts: a function whose text only fills a web API response is no system prompt', () => {
  const router = (use: string) =>
    [
      'from fastapi import APIRouter',
      'from pydantic import BaseModel',
      '',
      'router = APIRouter()',
      '',
      'class LinkResponse(BaseModel):',
      '    code: str',
      '    instruction: str',
      '',
      'def _link_instruction(service: str, code: str) -> str:',
      '    if service == "slack":',
      '        return f"Type /link {code} in the Slack workspace where the assistant is installed."',
      '    return f"Send /link {code} to the {service} assistant from your own account."',
      '',
      '@router.post("/{service}/link")',
      'async def link(service: str) -> LinkResponse:',
      '    code = "abc"',
      `    ${use}`,
      '',
    ].join('\n');

  it('`LinkResponse(code=code, instruction=_link_instruction(service, code))` in a FastAPI router: for the person', () => {
    // Before: ['12 system', '13 system'].
    assert.deepEqual(found(router('return LinkResponse(code=code, instruction=_link_instruction(service, code))'), 'links.py'), []);
  });

  it('the same function sent to a model stays a prompt', () => {
    const sent = router('return LinkResponse(code=code, instruction=_link_instruction(service, code))').replace('router = APIRouter()', 'router = APIRouter()\nfrom openai import OpenAI\nclient = OpenAI()') + 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": _link_instruction("slack", "x")}])\n';
    assert.deepEqual(found(sent, 'links.py').filter((l) => l.startsWith('14 ') || l.startsWith('15 ')), ['14 system', '15 system']);
  });
});
