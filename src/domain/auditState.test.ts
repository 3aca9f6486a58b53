import { describe, expect, it } from 'vitest';
import { recordedState, stateDifferences, stateText } from './auditState.ts';

const a1 = { id: 'AS-2', agency: 'urban', status: 'assigned', ack_due_at: '2026-03-03T15:59:59.000Z', due_at: '2026-03-23T15:59:59.000Z' };
const a2 = { id: 'AS-1', agency: 'market', status: 'acknowledged', ack_due_at: null, due_at: '2026-03-20T15:59:59.000Z' };

describe('recorded state', () => {
  it('is the same text whatever the order of the rows', () => {
    const lead = { status: 'assigned', routing_agency: 'urban' };
    expect(stateText(recordedState(lead, [a1, a2]))).toBe(stateText(recordedState(lead, [a2, a1])));
  });

  it('names each difference, and nothing when there is none', () => {
    const rec = recordedState({ status: 'assigned', routing_agency: 'urban' }, [a1, a2]);
    expect(stateDifferences('XS-1', 7, rec, rec)).toEqual([]);
    const now = recordedState({ status: 'closed', routing_agency: 'urban' }, [{ ...a1, due_at: null, agency: 'ecology' }, { ...a2, id: 'AS-3' }]);
    expect(stateDifferences('XS-1', 7, rec, now)).toEqual([
      '线索 XS-1 的状态为 “closed”，全过程记录第 7 条记载为 “assigned”',
      '线索 XS-1 的交办 AS-1（market）已不在数据库中，全过程记录第 7 条记载为存在',
      '线索 XS-1 的交办 AS-2 的承办单位为 “ecology”，全过程记录第 7 条记载为 “urban”',
      '线索 XS-1 的交办 AS-2 的整改反馈期限为 空，全过程记录第 7 条记载为 “2026-03-23T15:59:59.000Z”',
      '线索 XS-1 的交办 AS-3（market）不在全过程记录中',
    ]);
  });
});
