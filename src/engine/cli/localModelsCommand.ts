/** `pepperpy-opt engine models [--timeout MS]`: the models of OpenAI-compatible servers on this machine. */
import { LOCAL_COST_LABEL } from '../../shared/localModels';
import { detectLocalServers, localModelNames } from '../providers/localServers';
import { UsageError, type CliCommand } from './framework';

export const localModelsCommand: CliCommand = {
  area: 'engine',
  verb: 'models',
  summary: 'List models served on this machine (Ollama, LM Studio, llama.cpp server, vLLM) and the names to pass to --models.',
  options: {
    timeout: { type: 'string', valueName: 'MS', description: 'How long to wait for each server (default 1500).' },
  },
  examples: ['pepperpy-opt engine models', 'pepperpy-opt benchmark model --models ollama:llama3.2 …'],
  async run({ values }) {
    const raw = values.timeout;
    const timeoutMs = raw === undefined ? 1500 : Number(raw);
    if (typeof raw === 'boolean' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) throw new UsageError(`--timeout needs whole milliseconds from 1 to 60000, got "${String(raw)}".`);
    const probes = await detectLocalServers({ timeoutMs });
    const models = localModelNames(probes);
    const lines = probes.map((p) => (p.status === 'up' ? `${p.name} at ${p.baseUrl}: ${p.models.length} model(s) (answered in ${Math.round(p.latencyMs ?? 0)} ms)${p.note ? `\n  ${p.note}` : ''}` : p.error ?? `${p.name} at ${p.baseUrl}: ${p.status}`));
    lines.push('', models.length > 0 ? `Models (${LOCAL_COST_LABEL}):` : 'No local models found. Start Ollama, LM Studio, a llama.cpp server or vLLM, or name any server as openai-compatible@http://HOST:PORT/v1:MODEL.');
    for (const m of models) lines.push(`  ${m.name}`);
    return { json: { servers: probes, models: models.map((m) => ({ ...m, cost: LOCAL_COST_LABEL })) }, text: lines.join('\n') };
  },
};
