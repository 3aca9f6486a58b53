// The built-in directory of 冷水滩区 (API.md §6), replaceable through XIANSUO_CONFIG.

export type AgencyKind = 'agency' | 'township' | 'transfer' | 'bureau';

export interface Agency {
  code: string;
  name: string;
  kind: AgencyKind;
  /** Contact for assignments and reminders. */
  email: string;
  /** The agency head, who receives escalations (督办). */
  headEmail: string;
  /** For township enforcement bodies: the township's own name (梅湾街道 …). */
  township?: string;
  /** Optional group-robot webhook URLs (企业微信, 钉钉, 飞书). */
  robots?: { kind: 'wecom' | 'dingtalk' | 'feishu'; url: string }[];
}

export interface Directory {
  agencies: Agency[];
  /** The bureau's supervision office (监督科) address. */
  bureauEmail: string;
}

const AGENCIES: [string, string][] = [
  ['market', '区市场监督管理局'],
  ['urban', '区城市管理和综合执法局'],
  ['transport', '区交通运输局'],
  ['traffic-police', '公安交警大队'],
  ['public-security', '冷水滩公安分局'],
  ['ecology', '生态环境分局'],
  ['health', '区卫生健康局'],
  ['emergency', '区应急管理局'],
  ['housing', '区住房和城乡建设局'],
  ['natural-resources', '区自然资源局'],
  ['water', '区水利局'],
  ['forestry', '区林业局'],
  ['education', '区教育局'],
  ['civil-affairs', '区民政局'],
  ['medical-insurance', '区医疗保障局'],
  ['culture', '区文化旅游广电体育局'],
  ['agriculture', '区农业农村局'],
  ['hrss', '区人力资源和社会保障局'],
  ['fire', '消防救援大队'],
  ['tax', '税务局'],
];

/** The 18 townships (乡镇/街道) of 冷水滩区 with the pinyin used in their codes. */
export const TOWNSHIPS: [string, string][] = [
  ['meiwan', '梅湾街道'],
  ['lingjiaoshan', '菱角山街道'],
  ['xiaojiayuan', '肖家园街道'],
  ['yangjiaqiao', '杨家桥街道'],
  ['wutong', '梧桐街道'],
  ['fenghuang', '凤凰街道'],
  ['quhe', '曲河街道'],
  ['shanhu', '珊瑚街道'],
  ['lanjiaoshan', '岚角山街道'],
  ['huaqiaojie', '花桥街镇'],
  ['puliqiao', '普利桥镇'],
  ['niujiaoba', '牛角坝镇'],
  ['gaoxishi', '高溪市镇'],
  ['huangyangsi', '黄阳司镇'],
  ['shanglingqiao', '上岭桥镇'],
  ['yitang', '伊塘镇'],
  ['caishi', '蔡市镇'],
  ['yangcundian', '杨村甸乡'],
];

function placeholder(code: string, name: string, kind: AgencyKind, township?: string): Agency {
  const a: Agency = {
    code, name, kind,
    email: `${code}@example.gov.cn`,
    headEmail: `${code}-head@example.gov.cn`,
  };
  if (township) a.township = township;
  return a;
}

export const BUILTIN_DIRECTORY: Directory = {
  bureauEmail: 'jiandu@example.gov.cn',
  agencies: [
    ...AGENCIES.map(([code, name]) => placeholder(code, name, 'agency')),
    placeholder('justice', '区司法局', 'bureau'),
    placeholder('discipline', '区纪委监委', 'transfer'),
    placeholder('procuratorate', '区人民检察院', 'transfer'),
    ...TOWNSHIPS.map(([py, name]) =>
      placeholder(`township-${py}`, `${name}综合行政执法机构`, 'township', name)),
  ],
};

export function findAgency(dir: Directory, code: string): Agency | undefined {
  return dir.agencies.find((a) => a.code === code);
}
