import { documentHashes, hashAll } from './sketch.ts';
import { describe, expect, it } from 'vitest';
import { createMemoryIndex } from './memoryIndex.ts';
import { MAX_REPORTS_PER_LEAD, type IndexWrite, type ReportFingerprint } from './port.ts';

function write(features: string[], reportedAt: string, docFeatures = features): IndexWrite {
  const fingerprint: ReportFingerprint = {
    vector: [], norm: 0, places: [], townships: [], subjects: [], persons: [], phones: [], orders: [], reportedAt,
  };
  return { postings: features.map((feature) => ({ feature, weight: 1 })), docHashes: documentHashes(docFeatures), fingerprint };
}

describe('memory index', () => {
  it('counts documents and document frequencies', async () => {
    const index = createMemoryIndex();
    index.add('L1', write(['a', 'b'], '2019-01-01T00:00:00Z', ['a', 'b', 'c']));
    index.add('L1', write(['a'], '2019-01-02T00:00:00Z', ['a', 'a']));
    expect(await index.totalDocs()).toBe(2);
    const df = await index.docFreq(hashAll(['a', 'b', 'c', 'z']));
    expect([...df]).toEqual([2, 1, 1, 0]);
  });

  it('finds leads posted under the features within the window, most hits first', async () => {
    const index = createMemoryIndex();
    index.add('old', write(['x', 'y'], '2019-01-01T00:00:00Z'));
    index.add('L2', write(['x'], '2019-03-01T00:00:00Z'));
    index.add('L3', write(['x', 'y'], '2019-03-02T00:00:00Z'));
    const found = await index.candidates(['x', 'y'], '2019-02-01T00:00:00Z', 10);
    expect(found.map((c) => c.leadId)).toEqual(['L3', 'L2']);
    expect(found[0]?.hits.sort()).toEqual(['x', 'y']);
    expect(await index.candidates(['x'], '2019-02-01T00:00:00Z', 1)).toHaveLength(1);
  });

  it('keeps postings in time order whatever the order they arrive in', async () => {
    const index = createMemoryIndex();
    index.add('late', write(['x'], '2019-05-01T00:00:00Z'));
    index.add('early', write(['x'], '2019-01-01T00:00:00Z'));
    const found = await index.candidates(['x'], '2019-04-01T00:00:00Z', 10);
    expect(found.map((c) => c.leadId)).toEqual(['late']);
  });

  it('returns the newest fingerprints of a lead inside the window, capped', async () => {
    const index = createMemoryIndex();
    for (let day = 1; day <= MAX_REPORTS_PER_LEAD + 3; day++) {
      index.add('L1', write(['x'], `2019-01-${String(day).padStart(2, '0')}T00:00:00Z`));
    }
    const [lead] = await index.fingerprints(['L1', 'unknown'], '2019-01-01T00:00:00Z');
    expect(lead?.reports).toHaveLength(MAX_REPORTS_PER_LEAD);
    expect(lead?.reports[0]?.reportedAt).toBe('2019-01-11T00:00:00Z');
    const [recent] = await index.fingerprints(['L1'], '2019-01-10T00:00:00Z');
    expect(recent?.reports.map((r) => r.reportedAt)).toEqual(['2019-01-11T00:00:00Z', '2019-01-10T00:00:00Z']);
    expect(await index.fingerprints(['L1'], '2019-02-01T00:00:00Z')).toEqual([]);
    expect(index.size().leads).toBe(1);
  });
});
