// Text normalisation and key extraction for de-duplication.
// Pure: no I/O, no clock.
import { mayChange, simplified } from './simplify.ts';

const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const MAX_ROUNDS = 4;

function fold(text: string): string {
  // NFKC first (full-width → half-width, compatibility forms), lower case, NFKC again because
  // lower-casing can produce decomposable sequences.
  return text.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** One pass of `prepare` (exported for the tests of its fixed point). */
export function prepareOnce(text: string): string {
  return simplified(fold(text)).replace(NOT_WORD, ' ').trim();
}

/** Ideographic description characters: the converter passes a description sequence over whole. */
const IDEOGRAPHIC_DESCRIPTION = /[\u2ff0-\u2fff]/;

/**
 * NFKC, lower case, traditional → simplified, every run of punctuation / white space / symbols /
 * lone surrogates turned into one space. Kept as the base of key extraction, where the spaces
 * are useful word boundaries. Iterated to a fixed point so that it is idempotent.
 */
export function prepare(text: string): string {
  const known = recent.get(text);
  if (known !== undefined) return known;
  const folded = fold(text);
  const converted = simplified(folded);
  let current = converted.replace(NOT_WORD, ' ').trim();
  // Most texts (99 % of the TipDM messages) are simplified already, and then one pass is seen to
  // be a fixed point without converting again: the converter changes text only where a dictionary
  // entry matches, and its entries are letters and digits only (normalise.test.ts checks), so it
  // converts each run between separators on its own; runs it left as they were stay so when
  // the separators become single spaces. Only a description sequence, which it passes over whole,
  // could change that.
  const fixed = converted === folded && !IDEOGRAPHIC_DESCRIPTION.test(folded) && fold(current) === current;
  for (let round = 1; !fixed && round < MAX_ROUNDS; round++) {
    const next = prepareOnce(current);
    if (next === current) break;
    current = next;
  }
  remember(text, current);
  remember(current, current);
  return current;
}

// One report prepares its title and content several times over (n-grams, keys, subjects, and the
// prepared text again): the last few answers are kept. A fixed point is its own answer.
const recent = new Map<string, string>();
const RECENT = 16;

function remember(text: string, prepared: string): void {
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
  recent.set(text, prepared);
}

/**
 * `prepare` without any separator: the text that n-gram features are cut from. Iterated to a fixed
 * point too: taking the spaces out can join characters into something one more pass changes, a
 * phrase the converter knows (瞭 然 → 瞭然 → 了然) or Hangul jamo that compose.
 */
export function normalise(text: string): string {
  const prepared = prepare(text);
  let current = prepared.replace(/ /g, '');
  for (let round = 1; current !== prepared && round < MAX_ROUNDS; round++) {
    // Letters and digits only: unchanged by one more pass unless folding or the converter changes it.
    if (fold(current) === current && !mayChange(current)) break;
    const next = prepare(current).replace(/ /g, '');
    if (next === current) break;
    current = next;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Keys: the parts of a report that identify a problem on their own.

export type KeyKind = 'phone' | 'order' | 'place' | 'township' | 'subject' | 'person';

export interface PlaceKey {
  /** Canonical name, e.g. "丽发新城", "劳动东路", "同发投资". */
  name: string;
  kind: 'estate' | 'road' | 'market' | 'company' | 'school' | 'hospital' | 'village' | 'park' | 'site';
  /** How many times the text names it. */
  count: number;
}

export interface ExtractedKeys {
  phones: string[];
  orders: string[];
  places: PlaceKey[];
  townships: string[];
  subjects: string[];
  persons: string[];
}

/** Typed keys as strings, e.g. `phone:13800000000`, `place:伊景园滨河苑`, `township:暮云`. */
export function keyStrings(keys: ExtractedKeys): string[] {
  const out = new Set<string>();
  for (const p of keys.phones) out.add(`phone:${p}`);
  for (const o of keys.orders) out.add(`order:${o}`);
  for (const p of keys.places) out.add(`place:${p.name}`);
  for (const t of keys.townships) out.add(`township:${t}`);
  for (const s of keys.subjects) out.add(`subject:${s}`);
  for (const p of keys.persons) out.add(`person:${p}`);
  return [...out];
}

const PHONE = /(?<!\d)(1[3-9]\d{9}|0\d{2,3}\d{7,8})(?!\d)/g;
const ORDER = /(?:工单|单号|编号|订单|受理号|案号|流水号)(?:号|号码|为|是)?([a-z0-9]{6,24})/g;

// Suffixes that end a place name, longest first so that 小学 wins over 学 and 国际城 over 城.
// The look-ahead keeps out words that only contain the suffix (城管, 路口, 街道, 站点, 村民).
const PLACE_SUFFIXES: [string, PlaceKey['kind'], string?][] = [
  ['有限责任公司', 'company'], ['股份有限公司', 'company'], ['有限公司', 'company'], ['分公司', 'company'],
  ['公司', 'company'], ['集团', 'company'], ['工厂', 'company'], ['搅拌站', 'site'], ['加油站', 'site'],
  ['幼儿园', 'school'], ['小学', 'school'], ['中学', 'school'], ['学校', 'school'], ['学院', 'school'],
  ['大学', 'school', '生|城'], ['驾校', 'school'],
  ['医院', 'hospital'], ['卫生院', 'hospital'], ['诊所', 'hospital'],
  ['农贸市场', 'market'], ['市场', 'market', '监|价|经|秩|化|主|准|行'], ['商场', 'market'], ['超市', 'market'],
  ['大道', 'road', '理'], ['路', 'road', '口|段|边|上|面|灯|况|线|人|费|基|过|由|名|牌|政|网|径|程|途|灯|桥|上|旁|中|两|东侧|西侧|南侧|北侧'],
  ['大街', 'road'], ['街', 'road', '道|坊|巷|头|边|上|面|区|办|市|角|景|舞|铺|灯'], ['巷', 'road', '子|口|内|里'],
  ['大桥', 'road', '下|上'], ['隧道', 'road'],
  ['小区', 'estate'], ['社区', 'estate', '居委|医|卫|服|工作|书记|主任|干部|领导|网格|党'], ['花园', 'estate'], ['家园', 'estate'],
  ['新村', 'estate'], ['新城', 'estate'], ['国际城', 'estate'], ['广场', 'estate', '舞'], ['公寓', 'estate'], ['山庄', 'estate'],
  ['大厦', 'estate'], ['华庭', 'estate'], ['华府', 'estate'], ['公馆', 'estate'],
  ['苑', 'estate'], ['城', 'estate', '管|市|乡|区|镇|际|铁|投|建|中|里|外|内|郊|头|墙|门|楼|口|轨|改|关|的|发|东|西|南|北|运'],
  ['园', 'estate', '区|林|艺|长|丁|内|里|所|方|地'], ['府', 'estate', '办|文|部|的'], ['郡', 'estate'], ['湾', 'estate', '区'],
  ['楼盘', 'estate'], ['项目', 'estate', '部'],
  ['公园', 'park'], ['物流园', 'site'], ['工业园', 'site'], ['产业园', 'site'], ['工地', 'site'],
  ['地铁站', 'site'], ['站', 'site', '点|台|牌|长|内|外|岗|在|着|起|立|出|在|队|住|稳|到|不|上|前|边|附'],
  ['村', 'village', '民|委|干|部|里|级|规|务|庄|镇|小|集|道|口|头|落|官|支|主|书|长'], ['组', 'village', '织|长|成|建|合|员|委|别|件|的|团|阁'],
];
const SUFFIX_RE = new RegExp(
  PLACE_SUFFIXES.slice().sort((a, b) => b[0].length - a[0].length)
    .map(([s, , not]) => (not ? `${s}(?!${not})` : s)).map((s) => `(?:${s})`).join('|'), 'gu');
const SUFFIX_KIND = new Map(PLACE_SUFFIXES.map(([s, k]) => [s, k]));
const MAX_STEM: Record<PlaceKey['kind'], number> = {
  estate: 6, road: 5, market: 6, company: 8, school: 8, hospital: 6, village: 4, park: 6, site: 6,
};

// Words that end the name to their left (the name starts after the last of them), e.g.
// "我是丽发新城小区" → "丽发新城". Administrative units end a name too: "a市a2区丽发新城".
const LEFT_STOPS = [
  '我们', '我是', '本人', '位于', '地处', '关于', '投诉', '反映', '举报', '咨询', '请问', '建议', '希望', '要求',
  '针对', '对于', '经过', '通过', '附近', '旁边', '周边', '对面', '门口', '紧邻', '靠近', '距离', '片区', '街道',
  '号线', '改变', '包括', '还有', '以及', '其中', '例如', '比如', '就是', '作为', '导致', '造成', '影响',
  '办成', '实行', '执行', '支持', '指出', '明确', '属于', '改为', '变成', '成为', '需要', '应该', '必须',
  '离', '在', '于', '的', '是', '住', '对', '向', '与', '及', '到', '从', '为', '把', '被', '给', '让', '了',
  '将', '该', '这', '那', '此', '其', '每', '个', '某', '我', '你', '他', '她', '您', '们', '就', '也',
  '还', '又', '却', '但', '并', '且', '或', '即', '已', '再', '等', '旁', '边', '间', '省', '市', '县', '区',
  '镇', '乡', '能', '要', '会', '可', '没', '不', '有', '很', '太', '最', '更', '请', '求', '望', '盼', '以', '而',
  '若', '虽', '因', '所', '着', '过', '去', '做', '用', '说', '看', '想', '使', '叫', '称', '找', '问', '致', '近',
  '几', '次', '变',
];
const LEFT_STOP_RE = new RegExp(`(?:${LEFT_STOPS.sort((a, b) => b.length - a.length).join('|')})`, 'gu');

// Names that are not concrete places (小区 of "我们小区", 路 of "马路").
const GENERIC = new Set([
  '安置', '居民', '住宅', '商品房', '老旧', '整个', '这个', '一个', '两个', '多个', '几个', '大型', '新建', '配套',
  '周围', '全市', '全国', '城市', '农村', '城中', '城乡', '物业', '开发', '房地产', '置业', '建设', '工程', '投资',
  '自来水', '燃气', '电力', '供电', '移动', '电信', '联通', '公交', '出租', '网络', '科技', '文化', '教育', '民办',
  '公办', '私立', '公立', '普惠', '普惠性', '中心', '人民', '专科', '综合', '眼科', '口腔', '民营', '私人', '马',
  '道', '公', '铁', '线', '出', '走', '过', '修', '断头', '主干', '水泥', '高速', '快速', '一条', '这条', '那条',
  '人行', '步行', '美食', '后', '商业', '农贸', '菜', '地产', '二手', '商品', '劳务', '保险', '银行',
  '县城', '省城', '长株潭', '国家中心', '中心城', '全国文明', '文明', '卫生', '花园式', '后花园', '幸福', '美好',
  '业主', '小区', '社区', '项目', '楼盘', '工地', '施工', '搅拌', '加油', '地铁', '公交站', '车站', '站', '火车',
  '高铁', '幼儿', '小', '中', '大', '学', '同', '原', '新', '老', '旧', '某', '一期', '二期', '三期', '四期',
  '村民', '村委', '村组', '村里', '村干部', '我村', '本村', '全村', '各村', '小组', '组织', '班组', '工作组',
  '新能源', '违法违规', '违规', '违法', '备案', '调整', '一栋', '一楼', '楼下', '楼上', '家庭', '网', '城际',
  '国有', '民间', '集体', '市政', '政府', '街', '路', '乡村', '农家', '家', '商', '一', '二', '三', '四', '五',
]);

const MIN_NAME = 2;
const MAX_NAME = 10;
const NAME_CHARS = /^[\p{Script=Han}a-z0-9]+$/u;

function canonicalPlace(stem: string, suffix: string, kind: PlaceKey['kind']): PlaceKey | null {
  // Keep the suffix when it is part of the name (丽发新城, 伊景园, 劳动东路); drop pure
  // designations (小区, 社区, 有限公司, 项目, 楼盘) so that 丽发新城小区 = 丽发新城社区 = 丽发新城
  // and 同发投资有限公司 = 同发投资公司 = 同发投资.
  const designation = /^(小区|社区|楼盘|项目|有限责任公司|股份有限公司|有限公司|分公司|公司|工地)$/u.test(suffix);
  const name = designation ? stem : stem + suffix;
  if (stem.length < MIN_NAME || name.length > MAX_NAME) return null;
  if (GENERIC.has(stem) || GENERIC.has(name)) return null;
  // A kind of school or estate is not a name: 普惠性民办幼儿园, 公办园, 配套小学.
  if (/(公办|民办|普惠性?|普惠制|营利性|配套|公立|私立|附属)$/u.test(stem)) return null;
  if (!NAME_CHARS.test(name) || /^[a-z0-9]+$/u.test(stem)) return null;
  if (kind === 'estate' && suffix === '府' && /(政|管|场|站|队|局|委|院|厅|部|所)$/u.test(stem)) return null;
  return { name, kind, count: 1 };
}

function placesIn(segment: string): PlaceKey[] {
  const out: PlaceKey[] = [];
  SUFFIX_RE.lastIndex = 0;
  let previousEnd = 0;
  for (let m = SUFFIX_RE.exec(segment); m; m = SUFFIX_RE.exec(segment)) {
    const suffix = m[0];
    const end = m.index;
    const kind = SUFFIX_KIND.get(suffix) ?? 'estate';
    // A name never reaches back over the place just before it (伊景园滨河苑 → 伊景园, 滨河苑).
    let window = segment.slice(Math.max(previousEnd, end - MAX_STEM[kind] - 4), end);
    // Cut after the last stop word, administrative unit, digit or latin letter.
    let cut = 0;
    LEFT_STOP_RE.lastIndex = 0;
    for (let s = LEFT_STOP_RE.exec(window); s; s = LEFT_STOP_RE.exec(window)) cut = s.index + s[0].length;
    // A number and its unit end a name too: "9班小学", "2019年6月", "3号线".
    window = window.slice(cut).replace(/^.*[a-z0-9][年月日号栋幢楼层期个名位户条座班届]?/u, '');
    if (window.length > MAX_STEM[kind]) window = window.slice(window.length - MAX_STEM[kind]);
    if (!window) continue;
    const place = canonicalPlace(window, suffix, kind);
    if (place) {
      // Two names back to back are one compound estate as well (伊景园滨河苑 → 伊景园, 滨河苑, 伊景园滨河苑).
      const before = out[out.length - 1];
      if (before && before.kind === 'estate' && kind === 'estate' && end - window.length === previousEnd) {
        out.push({ name: before.name + place.name, kind, count: 1 });
      }
      out.push(place);
      previousEnd = end + suffix.length;
    }
  }
  return out;
}

const TOWNSHIP = /([\p{Script=Han}]{2,4}?)(街道办事处|街道办|街道|镇|乡)/gu;
const TOWNSHIP_GENERIC = new Set(['乡镇', '城镇', '城乡', '村镇', '集镇', '小镇', '本镇', '该镇', '各乡', '家乡', '老乡']);

function townshipsIn(segment: string): string[] {
  const out: string[] = [];
  TOWNSHIP.lastIndex = 0;
  for (let m = TOWNSHIP.exec(segment); m; m = TOWNSHIP.exec(segment)) {
    let name = m[1] ?? '';
    name = name.replace(/^.*(?:市|区|县|省|的|是|在|于|住|我|了|通过|向|到|找|经|由|和|与|及|对|给)/u, '');
    if (name.length < 2 || TOWNSHIP_GENERIC.has(name + (m[2] ?? '')) || TOWNSHIP_GENERIC.has(name)) continue;
    // 城乡/城镇 (城乡建设, 城镇化) and 乡村 are not townships.
    if (name.endsWith('城') || (m[2] === '乡' && segment.charAt(m.index + m[0].length) === '村')) continue;
    // …小镇 is an estate's brand name, 当地街道 no name at all.
    if ((name.endsWith('小') && m[2] === '镇') || name === '当地' || name === '所在') continue;
    out.push(name);
  }
  return out;
}

// The subject agency, reduced to a code so that 市场监管局 = 市场监督管理局 = 工商局.
const SUBJECTS: [RegExp, string][] = [
  [/市场监督管理|市场监管|工商局|工商分局|工商部门|食药监/u, 'market'],
  [/城市管理|城管|综合执法局|综合行政执法/u, 'urban'],
  [/交警|交通警察|车管所/u, 'traffic-police'],
  [/派出所|公安局|公安分局|经侦|刑侦|警方/u, 'public-security'],
  [/住建|住房和城乡建设|住房城乡建设|建设局|房产局|住房保障/u, 'housing'],
  [/生态环境|环保局|环境保护局|环保部门|环保分局/u, 'ecology'],
  [/自然资源|规划局|国土局|城乡规划/u, 'natural-resources'],
  [/教育局|教育部门|教体局/u, 'education'],
  [/卫健委|卫生健康|卫计局|卫生局/u, 'health'],
  [/人社局|人力资源和社会保障|劳动监察|劳动保障/u, 'hrss'],
  [/税务局|税务部门/u, 'tax'],
  [/交通运输局|交通局|运管/u, 'transport'],
  [/应急管理/u, 'emergency'],
  [/消防/u, 'fire'],
  [/水利局|水务局/u, 'water'],
  [/农业农村|农业局/u, 'agriculture'],
  [/民政局/u, 'civil-affairs'],
  [/医保局|医疗保障/u, 'medical-insurance'],
  [/文旅|文化旅游|文体广电/u, 'culture'],
  [/林业局/u, 'forestry'],
];

/** The agency codes named in a text (or in the reporter's stated subject). */
export function subjectsIn(text: string): string[] {
  const t = prepare(text).replace(/ /g, '');
  const out: string[] = [];
  for (const [re, code] of SUBJECTS) if (re.test(t)) out.push(code);
  return out;
}

const PERSON = /(?:我叫|本人叫|本人名叫|本人是|本人|我是|控告人|举报人|申请人|投诉人|姓名)(?:是|为|:)?([\p{Script=Han}]{2,3})(?=[,，。 身男女现家住今系于在的出生电联号]|$)/gu;
// A reporter's name starts with a common surname; anything else after 本人/我是 is a verb or a noun.
const SURNAMES = new Set(Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤申奉易文欧阳柳胥游聂左',
));
const NOT_NAME = /^(一名|一个|一位|业主|居民|村民|市民|职工|员工|家长|学生|老师|本地|外地|退休|在职|现在|目前|今年|去年|向|在|于|家住|住在|通过|准备|因为|已经|多次|曾经|非常|特别|实在|真的|对|就|和|也|都|还|想|要|来|去|的|是|系|为|居住|购买|万科|金科|龙湖|石塘|江湾|方圆|文化|高新|武广|雷锋|黄花|黄兴|白沙|马王|龙塘|向阳)/u;

function personsIn(text: string): string[] {
  const out: string[] = [];
  PERSON.lastIndex = 0;
  for (let m = PERSON.exec(text); m; m = PERSON.exec(text)) {
    const name = m[1] ?? '';
    if (!SURNAMES.has(name.charAt(0)) || NOT_NAME.test(name)) continue;
    out.push(name);
  }
  return out;
}

function countPlaces(places: PlaceKey[]): PlaceKey[] {
  const byName = new Map<string, PlaceKey>();
  for (const p of places) {
    const seen = byName.get(p.name);
    if (seen) seen.count += p.count;
    else byName.set(p.name, { ...p });
  }
  return [...byName.values()];
}

function unique<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The keys of several texts of one report (its title, address and content), as one set. */
export function mergeKeys(parts: ExtractedKeys[]): ExtractedKeys {
  const all = <T>(pick: (k: ExtractedKeys) => T[]): T[] => parts.flatMap(pick);
  const phones = unique(all((k) => k.phones), (s) => s);
  return {
    phones,
    orders: unique(all((k) => k.orders), (s) => s).filter((o) => !phones.includes(o)),
    places: countPlaces(all((k) => k.places)),
    townships: unique(all((k) => k.townships), (t) => t),
    subjects: unique(all((k) => k.subjects), (s) => s),
    persons: unique(all((k) => k.persons), (p) => p),
  };
}

/**
 * Pull out the keys that identify a problem: phone numbers, order numbers, place names
 * (estates, roads, markets, companies, schools, hospitals, villages), townships, named subject
 * agencies and the reporter's own name where the text states it. Never throws.
 */
export function extractKeys(text: string): ExtractedKeys {
  const prepared = prepare(text);
  const compact = prepared.replace(/ /g, '');
  const digits = prepared.replace(/(?<=\d) (?=\d)/g, '');
  const phones = unique([...digits.matchAll(PHONE)].map((m) => m[1] ?? ''), (s) => s).filter(Boolean);
  const orders = unique([...compact.matchAll(ORDER)].map((m) => m[1] ?? ''), (s) => s)
    .filter((o) => o && !phones.includes(o));
  const places: PlaceKey[] = [];
  const townships: string[] = [];
  for (const segment of prepared.split(' ')) {
    if (!segment) continue;
    places.push(...placesIn(segment));
    townships.push(...townshipsIn(segment));
  }
  return {
    phones,
    orders,
    places: countPlaces(places),
    townships: unique(townships, (t) => t),
    subjects: subjectsIn(prepared),
    persons: unique(personsIn(compact), (p) => p),
  };
}
