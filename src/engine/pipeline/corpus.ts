/**
 * Corpus loading and the retriever on Orama, an embedded search engine with BM25
 * full-text search and vector search. Documents come from JSONL (`{"id","title","text"}`
 * per line), a JSON array of the same, or a plain text file (one document per blank-line
 * separated paragraph).
 */
import { create, insertMultiple, search, type AnyOrama } from '@orama/orama';
import { EngineError, errorMessage } from '../../protocol/errors';
import { EMBEDDING_DIM, embed } from './embedding';
import { parseJsonl } from '../benchmark/dataset';
import { readTextFile } from '../../shared/textFile';

export interface CorpusDocument {
  id: string;
  title?: string;
  text: string;
}

export interface RetrievedPassage {
  id: string;
  text: string;
  title?: string;
  score: number;
}

export function loadCorpus(path: string): { documents: CorpusDocument[]; problems: string[] } {
  const raw = readTextFile(path, 'corpus', 'documents as JSONL ({"id","title","text"} per line), a JSON array of them, or plain text', (error) => {
    throw new EngineError('notFound', `Cannot read the corpus ${path}${error.code ? ` (${error.code})` : ''}.`, 'Check `corpus` in the pipeline config: a path relative to the config file.');
  });
  const problems: string[] = [];
  let documents: CorpusDocument[];
  if (path.endsWith('.jsonl')) {
    const parsed = parseJsonl(raw, path);
    problems.push(...parsed.errors.map((e) => `${path}:${e.line}: ${e.message}`));
    documents = [];
    for (const { line, value } of parsed.records) {
      const doc = value as Partial<CorpusDocument>;
      if (typeof doc.text !== 'string' || doc.text.trim() === '') {
        problems.push(`${path}:${line}: a document needs a non-empty "text"`);
        continue;
      }
      documents.push({ id: typeof doc.id === 'string' ? doc.id : `doc-${line}`, ...(typeof doc.title === 'string' ? { title: doc.title } : {}), text: doc.text });
    }
  } else if (path.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new EngineError('badRequest', `${path} is not valid JSON: ${errorMessage(error)}.`);
    }
    if (!Array.isArray(parsed)) throw new EngineError('badRequest', `${path} must hold an array of {"id","title","text"} documents.`);
    documents = parsed.flatMap((d: Partial<CorpusDocument>, i) => (typeof d.text === 'string' ? [{ id: typeof d.id === 'string' ? d.id : `doc-${i + 1}`, ...(typeof d.title === 'string' ? { title: d.title } : {}), text: d.text }] : []));
  } else {
    documents = raw.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean).map((text, i) => ({ id: `para-${i + 1}`, text }));
  }
  if (documents.length === 0) throw new EngineError('badRequest', `The corpus ${path} has no documents.`, 'Give JSONL lines like {"id":"a","text":"..."}.');
  return { documents, problems };
}

export type RetrieverType = 'bm25' | 'vector_db';

/** One Orama index over a corpus, searched by BM25 or by vector similarity. */
export class CorpusIndex {
  private constructor(private readonly db: AnyOrama, readonly size: number) {}

  static async build(documents: CorpusDocument[]): Promise<CorpusIndex> {
    const db = create({ schema: { id: 'string', title: 'string', text: 'string', embedding: `vector[${EMBEDDING_DIM}]` } as const });
    await insertMultiple(db, documents.map((d) => ({ id: d.id, title: d.title ?? '', text: d.text, embedding: embed(`${d.title ?? ''} ${d.text}`) })));
    return new CorpusIndex(db, documents.length);
  }

  async retrieve(query: string, type: RetrieverType, topK: number): Promise<RetrievedPassage[]> {
    const limit = Math.max(1, Math.min(topK, this.size));
    const result = type === 'bm25'
      ? await search(this.db, { term: query, properties: ['title', 'text'], limit, boost: { title: 1.5 } })
      : await search(this.db, { mode: 'vector', vector: { value: embed(query), property: 'embedding' }, similarity: 0.0001, limit, includeVectors: false });
    return result.hits.map((hit) => {
      const doc = hit.document as unknown as { id: string; title: string; text: string };
      return { id: doc.id, text: doc.text, ...(doc.title ? { title: doc.title } : {}), score: hit.score };
    });
  }
}
