import { describe, expect, it } from 'vitest';
import { maskPersonalData } from './mask.ts';

describe('maskPersonalData', () => {
  it('masks phones, ID numbers, e-mails, house numbers and the reporters named', () => {
    const text = '张先生（电话 138 0000 0000，身份证43110319800101123X，邮箱 zhang.san@qq.com）住梅湾街道幸福小区3栋2单元501室，' +
      '反映的问题已整改。张三丰表示感谢，联系电话０７４６－８８８８８８８。';
    const out = maskPersonalData(text, { names: ['张三丰'], addresses: ['梅湾街道幸福小区'] });
    expect(out).toBe('某先生（电话 ***，身份证***，邮箱 ***）住******，反映的问题已整改。某某表示感谢，联系电话***。');
  });
  it('keeps dates, short numbers and ordinary text', () => {
    expect(maskPersonalData('2026-03-02 已归还3辆三轮车，罚款500元。')).toBe('2026-03-02 已归还3辆三轮车，罚款500元。');
  });
  it('masks a name written with spaces and its given name alone', () => {
    expect(maskPersonalData('王 小 明 和小明都说好', { names: ['王小明'] })).toBe('某某 和某某都说好');
  });
});
