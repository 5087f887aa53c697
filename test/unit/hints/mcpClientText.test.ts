// Session 36, from newuser36 on getzep/graphiti (Apache-2.0, commit 993e081a, test/fixtures/graphiti/SOURCES.md):
// mcp_server/src/graphiti_mcp_server.py builds `FastMCP("Graphiti", instructions=GRAPHITI_MCP_INSTRUCTIONS)` and 13
// `@mcp.tool()` functions. Their docstrings and the instructions are read by the MCP client's model (Claude Desktop,
// Cursor…), which the server does not choose, but were priced with the server's own extraction model (the file's one
// model, or mcp_server/.env.example's MODEL_NAME). They are now priced with the default model, saying why. Oracle: the
// file read by hand (1 instructions constant, 13 tool docstrings).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { chooseModel } from '../../../src/shared/hints/modelChoice';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');

describe("an MCP server's tool descriptions and instructions are priced as read by the client's model", () => {
  it('graphiti_mcp_server.py: the instructions and the 13 tool docstrings are readBy mcpClient, priced with the default', () => {
    const text = readFileSync(path.join(root, 'test/fixtures/graphiti/graphiti_mcp_server.py.txt'), 'utf8');
    const prompts = findPrompts(text, 'python', { fileName: 'graphiti_mcp_server.py' });
    const read = prompts.filter((p) => p.readBy === 'mcpClient');
    assert.deepEqual(read.map((p) => p.kind).sort(), ['system', ...Array<string>(13).fill('tool')].sort());
    assert.equal(read.find((p) => p.kind === 'system')?.boundName, 'GRAPHITI_MCP_INSTRUCTIONS');
    // Before: the config's model (gpt-4.1-mini from .env.example) for the instructions.
    const choice = chooseModel(read[0], { defaultModel: 'gpt-5.4', projectModel: { model: 'gpt-4.1-mini', from: 'mcp_server/.env.example MODEL_NAME' } });
    assert.deepEqual(choice, { model: 'gpt-5.4', source: 'default', via: "pepperpy.defaultModel: an MCP client's model reads it, not this server's" });
  });

  it('near misses: a LangChain @tool in a file with no MCP server, an MCP client file, a server without the SDK import', () => {
    const tool = '@tool\ndef search(q: str) -> str:\n    """Search the web for the query and return the top results as text."""\n    return q\n';
    const withImport = (imp: string, extra = '') => findPrompts(`${imp}\nfrom langchain_core.tools import tool\nfrom openai import OpenAI\nMODEL = "gpt-4o"\n${extra}${tool}`, 'python', { fileName: 'a.py' }).map((p) => p.readBy ?? 'server');
    assert.deepEqual(withImport('import os'), ['server']);
    assert.deepEqual(withImport('from mcp import ClientSession'), ['server']);
    assert.deepEqual(withImport('from mcp.server.fastmcp import FastMCP', 'mcp = FastMCP("x")\n'), ['mcpClient']);
    assert.deepEqual(withImport('from mcp.server.fastmcp import FastMCP'), ['server']);
  });
});
