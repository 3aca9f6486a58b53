import { describe, expect, it } from 'vitest';
import { BUILTIN_DIRECTORY, TOWNSHIPS } from '../directory.ts';
import { BUILTIN_RULES, BUILTIN_RULES_DATA } from './builtinRules.ts';
import { validateRules } from './rules.ts';
import { compileRules } from './router.ts';

const r = compileRules(BUILTIN_RULES, BUILTIN_DIRECTORY);
const route = (title: string, content = '', more = {}) => r.route({ source: 'hotline', title, content, ...more });

describe('built-in rules for 冷水滩区', () => {
  it('validate against the built-in directory', () => {
    const v = validateRules(BUILTIN_RULES_DATA, BUILTIN_DIRECTORY);
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  it('give every line agency of the directory its own keyword rules', () => {
    const withKeywords = new Set(BUILTIN_RULES.rules.filter((x) => x.match.keywords && x.agency).map((x) => x.agency));
    const lineAgencies = BUILTIN_DIRECTORY.agencies.filter((a) => a.kind === 'agency' || a.kind === 'bureau');
    expect(lineAgencies.filter((a) => !withKeywords.has(a.code)).map((a) => a.code)).toEqual([]);
  });

  it.each([
    ['城管', 'urban'], ['综合执法', 'urban'], ['交警', 'traffic-police'], ['运政', 'transport'], ['路政', 'transport'],
    ['市监', 'market'], ['工商', 'market'], ['食药监', 'market'], ['环保', 'ecology'], ['安监', 'emergency'],
    ['国土', 'natural-resources'], ['规划局', 'natural-resources'], ['人社', 'hrss'], ['劳动监察', 'hrss'],
    ['医保局', 'medical-insurance'], ['文化执法', 'culture'], ['消防', 'fire'], ['税务', 'tax'],
    ['派出所', 'public-security'], ['质监站', 'housing'], ['林业站', 'forestry'], ['渔政', 'agriculture'],
    ['水政', 'water'], ['教育局', 'education'], ['民政局', 'civil-affairs'], ['卫健局', 'health'], ['司法所', 'justice'],
    ['肖家园街道办事处', 'township-xiaojiayuan'], ['伊塘镇政府', 'township-yitang'], ['杨村甸乡人民政府', 'township-yangcundian'],
  ])('resolve the subject alias %s', (subject, agency) => {
    expect(route('反映问题', '', { subject }).agency).toBe(agency);
  });

  it('recognise all 18 townships in the text by their full names', () => {
    for (const [py, name] of TOWNSHIPS) {
      expect(route('反映问题', `家住冷水滩区${name}某村`).township).toBe(`township-${py}`);
    }
  });

  it.each([
    ['urban', ['占道经营', '违章搭建', '渣土', '摊贩']],
    ['transport', ['出租车', '网约车', '超限', '运政']],
    ['traffic-police', ['违停罚单', '电子眼', '驾驶证']],
    ['market', ['食品安全', '价格', '无证经营', '计量']],
    ['ecology', ['噪音', '排污', '扬尘', '搅拌站']],
    ['hrss', ['拖欠工资', '社保']],
    ['natural-resources', ['违法占地', '规划']],
    ['housing', ['物业', '房产', '工地']],
  ])('route the typical vocabulary of %s', (agency, words) => {
    for (const w of words) expect(route(w).agency, w).toBe(agency);
  });

  it('send rural building in a town to the town, a named agency to the agency', () => {
    expect(route('自建房被要求拆除', '镇里说是违建', { township: '普利桥镇' }).agency).toBe('township-puliqiao');
    expect(route('违停罚单', '交警在梅湾街道乱贴罚单', { township: '梅湾街道' }).agency).toBe('traffic-police');
  });
});
