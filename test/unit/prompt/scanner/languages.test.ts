import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

describe('findPrompts: languages', () => {
  describe('Python', () => {
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'SYSTEM_PROMPT = """You are a careful assistant.',
      'Answer in JSON with the keys "answer" and "sources"."""',
      '',
      'def ask(question, name):',
      '    return client.chat.completions.create(',
      '        model="gpt-4o",',
      '        messages=[',
      '            {"role": "system", "content": SYSTEM_PROMPT},',
      '            {"role": "user", "content": f"Hi {name}! Answer this question: {question!r}"},',
      '        ],',
      '    )',
    ].join('\n');
    const prompts = findPrompts(src, 'python');

    it('finds the bound system prompt and the user message', () => {
      assert.equal(prompts.length, 2);
      assert.equal(prompts[0].kind, 'system');
      assert.equal(prompts[0].boundName, 'SYSTEM_PROMPT');
      assert.equal(prompts[1].kind, 'user');
      assert.equal(prompts[1].api, 'OpenAI');
    });

    it('gives exact ranges for the literal and its content', () => {
      const p = prompts[1];
      const literal = 'f"Hi {name}! Answer this question: {question!r}"';
      const start = src.indexOf(literal);
      assert.equal(p.range.start.offset, start);
      assert.equal(p.range.end.offset, start + literal.length);
      assert.equal(p.contentRange.start.offset, start + 2);
      assert.equal(p.contentRange.end.offset, start + literal.length - 1);
      assert.equal(p.range.start.line, 10);
      assert.equal(p.range.start.character, src.split('\n')[10].indexOf('f"'));
      assert.equal(src.slice(p.contentRange.start.offset, p.contentRange.end.offset), 'Hi {name}! Answer this question: {question!r}');
    });

    it('keeps f-string interpolations as placeholders and names the model of the call', () => {
      const p = prompts[1];
      assert.equal(p.text, 'Hi {name}! Answer this question: {question!r}');
      assert.deepEqual(p.placeholders.map((x) => [x.name, x.syntax, x.interpolated]), [['name', 'brace', true], ['question!r', 'brace', true]]);
      assert.deepEqual(p.quoting, { language: 'python', style: 'string', quote: '"', triple: false, prefix: 'f', raw: false, formatted: true, interpolations: ['{name}', '{question!r}'] });
      assert.equal(p.model?.name, 'gpt-4o');
      assert.equal(src.slice(p.model?.range.start.offset, p.model?.range.end.offset), '"gpt-4o"');
    });

    it('decodes escapes and records triple quotes', () => {
      const [p] = findPrompts('PROMPT = "You are a bot.\\tAnswer \\"yes\\" or \\"no\\" to the question below.\\n"', 'python');
      assert.equal(p.text, 'You are a bot.\tAnswer "yes" or "no" to the question below.\n');
      assert.equal(prompts[0].quoting.triple, true);
    });

    it('joins implicitly concatenated literals into one prompt with one segment each', () => {
      const s = 'from langchain_core.prompts import PromptTemplate\nTEMPLATE = (\n    "Use the context below to answer.\\n"\n    "Context: {context}\\n"\n    "Question: {question}"\n)\n';
      const [p] = findPrompts(s, 'python');
      assert.equal(p.segments.length, 3);
      assert.equal(p.text, 'Use the context below to answer.\nContext: {context}\nQuestion: {question}');
      assert.equal(p.kind, 'template');
      assert.deepEqual(p.placeholders.map((x) => x.name), ['context', 'question']);
    });

    it('recognises LangChain message classes, tuples and few-shot exchanges', () => {
      const s = [
        'from langchain_core.messages import SystemMessage, HumanMessage',
        'msgs = [SystemMessage("You translate English into French, keeping the tone."), HumanMessage(content="Translate: good morning")]',
        'prompt = ChatPromptTemplate.from_messages([',
        '    ("system", "You classify the sentiment of reviews as positive or negative."),',
        '    ("human", "The food was great!"),',
        '    ("ai", "positive"),',
        '    ("human", "{review}"),',
        '])',
      ].join('\n');
      const found = findPrompts(s, 'python').map((p) => [p.range.start.line, p.kind, p.api]);
      assert.deepEqual(found, [
        [1, 'system', 'LangChain'],
        [1, 'user', 'LangChain'],
        [3, 'system', 'LangChain'],
        [4, 'fewShot', 'LangChain'],
        [5, 'fewShot', 'LangChain'],
        [6, 'user', 'LangChain'],
      ]);
    });

    it('recognises Anthropic system= and Google GenAI calls', () => {
      const s = [
        'import anthropic',
        'msg = client.messages.create(model="claude-sonnet-4-5", system="You are a terse reviewer of pull requests.", messages=[{"role": "user", "content": diff}])',
        'resp = genai_client.models.generate_content(model="gemini-2.0-flash", contents="Explain how AI works in a few words")',
      ].join('\n');
      const found = findPrompts(s, 'python');
      assert.deepEqual(found.map((p) => [p.kind, p.api, p.model?.name]), [
        ['system', 'Anthropic', 'claude-sonnet-4-5'],
        ['user', 'Google GenAI', 'gemini-2.0-flash'],
      ]);
    });
  });

  describe('TypeScript / JavaScript', () => {
    const src = [
      "import { generateText } from 'ai';",
      "import { openai } from '@ai-sdk/openai';",
      'const { text } = await generateText({',
      "  model: openai('gpt-4o-mini'),",
      "  system: 'You are a helpful cooking assistant. Keep answers short.',",
      '  prompt: `Suggest a recipe with ${ingredient} for ${people} people.`,',
      '});',
    ].join('\n');
    const prompts = findPrompts(src, 'typescript');

    it('finds Vercel AI SDK system and prompt with the model', () => {
      assert.deepEqual(prompts.map((p) => [p.kind, p.api, p.model?.name, p.boundName]), [
        ['system', 'Vercel AI SDK', 'gpt-4o-mini', 'system'],
        ['user', 'Vercel AI SDK', 'gpt-4o-mini', 'prompt'],
      ]);
    });

    it('keeps template literal interpolations', () => {
      const p = prompts[1];
      assert.equal(p.text, 'Suggest a recipe with ${ingredient} for ${people} people.');
      assert.deepEqual(p.quoting.interpolations, ['${ingredient}', '${people}']);
      assert.deepEqual(p.placeholders.map((x) => [x.name, x.syntax]), [['ingredient', 'dollarBrace'], ['people', 'dollarBrace']]);
      assert.equal(p.quoting.style, 'template');
    });

    it('finds OpenAI role messages and bound constants in JavaScript and TSX', () => {
      const js = "const SYSTEM_PROMPT = 'You are a support agent for Acme. Be polite and brief.';\nconst r = await openai.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: 'Where is my order #1234?' }] });\n";
      assert.deepEqual(findPrompts(js, 'javascript').map((p) => [p.kind, p.boundName]), [['system', 'SYSTEM_PROMPT'], ['user', 'content']]);
      const tsx = "export const App = () => <Button label=\"Save your changes now please\" />;\nconst prompt = `You are a UI copywriter. Rewrite the label ${label} to be friendlier.`;\n";
      assert.deepEqual(findPrompts(tsx, 'typescriptreact').map((p) => p.boundName), ['prompt']);
    });
  });

  describe('YAML', () => {
    const src = [
      'model: gpt-4o',
      'prompts:',
      '  summarize:',
      '    system: |',
      '      You are a summarizer.',
      '      Use at most {{ max_words }} words.',
      '    user: "Summarize:\\n{{ text }}"',
      'logging:',
      '  format: "%(asctime)s %(levelname)s %(message)s"',
    ].join('\n');
    const prompts = findPrompts(src, 'yaml');

    it('finds block and quoted prompts by key, with the model of the document', () => {
      assert.deepEqual(prompts.map((p) => [p.kind, p.boundName, p.quoting.style, p.model?.name]), [
        ['system', 'prompts.summarize.system', 'yamlBlockLiteral', 'gpt-4o'],
        ['user', 'prompts.summarize.user', 'yamlDouble', 'gpt-4o'],
      ]);
      assert.equal(prompts[0].text, 'You are a summarizer.\nUse at most {{ max_words }} words.');
      assert.equal(prompts[0].quoting.indent, '      ');
      assert.equal(prompts[1].text, 'Summarize:\n{{ text }}');
      assert.deepEqual(prompts[0].placeholders.map((p) => [p.name, p.syntax]), [['max_words', 'mustache']]);
    });

    it('gives content ranges inside the quotes and below the block header', () => {
      const p = prompts[1];
      assert.equal(src.slice(p.contentRange.start.offset, p.contentRange.end.offset), 'Summarize:\\n{{ text }}');
      const b = prompts[0];
      assert.equal(src.slice(b.contentRange.start.offset, b.contentRange.end.offset), '      You are a summarizer.\n      Use at most {{ max_words }} words.');
    });
  });

  describe('JSON', () => {
    it('finds role messages and prompt keys', () => {
      const src = '{\n  "model": "gpt-4o",\n  "messages": [\n    {"role": "system", "content": "You are a JSON-only API. Reply with {\\"ok\\": true}."},\n    {"role": "user", "content": "ping"}\n  ],\n  "metadata": {"owner": "team-search", "description": "Internal service"}\n}\n';
      const prompts = findPrompts(src, 'json');
      assert.deepEqual(prompts.map((p) => [p.kind, p.model?.name]), [['system', 'gpt-4o'], ['user', 'gpt-4o']]);
      assert.equal(prompts[0].text, 'You are a JSON-only API. Reply with {"ok": true}.');
      assert.equal(prompts[0].quoting.style, 'jsonString');
    });
  });

  describe('Markdown', () => {
    it('finds prompt blocks under prompt headings and prompts in Python fences', () => {
      const src = [
        '# Support bot',
        '',
        'Some prose about the bot that is not a prompt at all, just documentation.',
        '',
        '## System prompt',
        '',
        '```',
        'You are the support bot for Acme. Answer only questions about orders.',
        '```',
        '',
        '## Install',
        '',
        '```sh',
        'npm install acme-bot',
        '```',
        '',
        '```python',
        'r = client.responses.create(model="gpt-5", instructions="Talk like a pirate when you answer.", input="Are semicolons optional in JavaScript?")',
        '```',
      ].join('\n');
      const prompts = findPrompts(src, 'markdown');
      assert.deepEqual(prompts.map((p) => [p.range.start.line, p.kind]), [[6, 'system'], [17, 'system'], [17, 'user']]);
      assert.equal(prompts[0].text, 'You are the support bot for Acme. Answer only questions about orders.');
      assert.equal(src.slice(prompts[0].contentRange.start.offset, prompts[0].contentRange.end.offset), prompts[0].text);
      const pirate = prompts[1];
      assert.equal(src.slice(pirate.range.start.offset, pirate.range.end.offset), '"Talk like a pirate when you answer."');
      assert.equal(pirate.model?.name, 'gpt-5');
    });
  });

  describe('prompt files', () => {
    it('treats .jinja, .j2 and prompts/*.txt as prompts whole', () => {
      assert.equal(findPrompts('Hello {{ name }}, summarize:\n{{ text }}\n', undefined, { fileName: 'templates/summary.jinja' })[0].kind, 'template');
      assert.equal(findPrompts('Classify the ticket below.\n', undefined, { fileName: '/repo/prompts/classify.txt' }).length, 1);
      assert.equal(findPrompts('just notes\n', undefined, { fileName: '/repo/docs/notes.txt' }).length, 0);
    });

    it('splits a .prompty body at its role markers and reads the model from the front matter', () => {
      const src = '---\nname: Basic\nmodel:\n  api: chat\n  configuration:\n    azure_deployment: gpt-4o-mini\n---\nsystem:\nYou are an AI assistant who helps people find information.\n\nuser:\n{{question}}\n';
      const prompts = findPrompts(src, undefined, { fileName: 'basic.prompty' });
      assert.deepEqual(prompts.map((p) => [p.kind, p.text, p.model?.name]), [
        ['system', 'You are an AI assistant who helps people find information.', 'gpt-4o-mini'],
        ['user', '{{question}}', 'gpt-4o-mini'],
      ]);
      assert.equal(prompts[1].range.start.line, 11);
    });
  });
});
