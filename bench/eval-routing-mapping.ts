// Which agencies of the 冷水滩区 directory fit each first-level category of the TipDM 2020 message
// board (../shared/data/tipdm2020/labelled.jsonl), and why. Used by `npm run eval:routing` to decide
// whether the routed agency fits a message. The messages are general citizen demands from "A市",
// not only enforcement complaints, so a category maps to every body that plausibly answers it.

export const TIPDM_CATEGORIES = [
  '城乡建设', '劳动和社会保障', '教育文体', '卫生计生', '交通运输', '商贸旅游', '环境保护',
] as const;
export type TipdmCategory = (typeof TIPDM_CATEGORIES)[number];

export interface CategoryFit {
  /** Agency code → one-line reason: the bodies that answer most messages of this category. */
  primary: Record<string, string>;
  /** Agency code → one-line reason: bodies that sensibly answer some messages of this category. */
  related: Record<string, string>;
  /** Whether a township's 综合行政执法机构 (any `township-*` code) fits, and why; null if it does not. */
  townships: { reason: string; primary: boolean } | null;
}

export const CATEGORY_AGENCIES: Record<TipdmCategory, CategoryFit> = {
  城乡建设: {
    primary: {
      urban: '市容环卫、占道、违章建筑、路灯公厕和园林绿化由城管执法局负责',
      housing: '物业、房产证、开发商、工地、棚改、公租房、公积金、供水燃气供暖属住建',
      'natural-resources': '规划许可、容积率、土地征收和不动产登记属自然资源（规划）',
    },
    related: {
      transport: '该版块把公交线路和轨道交通也归入城乡建设，它们属交通运输局',
      water: '城乡供水、排水防涝和河道整治常归在城乡建设',
      'civil-affairs': '拆迁安置中的困难群众救助、地名门牌属民政',
      emergency: '建筑和城镇设施的安全隐患由应急管理牵头排查',
      fire: '老旧房屋、群租房的火灾隐患和消防水源属消防救援',
      culture: '历史建筑、文物的保护修缮属文旅（文物）',
      hrss: '工地欠薪、农民工工资由人社（劳动监察）处理',
    },
    townships: { reason: '乡镇（街道）综合行政执法机构集中行使城管、住建、自然资源和规划的下放执法权', primary: true },
  },
  劳动和社会保障: {
    primary: {
      hrss: '工资、劳动合同、社会保险、退休待遇、就业培训都属人社',
      'medical-insurance': '城乡居民医保、新农合、生育保险、医保基金属医疗保障局',
    },
    related: {
      'civil-affairs': '残疾人、困难职工救助、退役安置和养老服务属民政',
      tax: '社会保险费自2019年起由税务部门征收',
      health: '职业病、职业健康保障属卫生健康',
      education: '教师工资福利、教育系统退休待遇的诉求常由教育局答复',
      emergency: '工作场所安全、安全防护措施属应急管理（安全生产）',
    },
    townships: { reason: '乡镇（街道）综合行政执法机构行使人社下放的劳动保障监察权', primary: false },
  },
  教育文体: {
    primary: {
      education: '学校、教师、招生、校外培训机构属教育局',
      culture: '文化、文物、广电、体育和文化市场属文化旅游广电体育局',
    },
    related: {
      hrss: '教师工资、职称、编制与人社共管',
      'civil-affairs': '丧葬风俗、移风易俗和社会组织属民政',
      market: '学校乱收费、培训机构霸王条款和价格问题由市场监管（价格监督）查处',
    },
    townships: null,
  },
  卫生计生: {
    primary: {
      health: '医疗机构、医护人员、行医资格、计划生育和公共卫生属卫生健康',
      'medical-insurance': '医疗费用、医保报销和医保基金属医疗保障',
    },
    related: {
      market: '药品、保健品、医疗器械经营和食品安全属市场监管',
      'civil-affairs': '失独家庭、独生子女等的社会救助属民政',
      'public-security': '医闹、打砸医护人员等涉医违法由公安处置',
    },
    townships: { reason: '乡镇（街道）综合行政执法机构行使卫生健康下放的执法权', primary: false },
  },
  交通运输: {
    primary: {
      transport: '出租车、网约车、公交、客货运输、公路路政、超限治超和邮政快递属交通运输系统',
      'traffic-police': '道路交通秩序、红绿灯、驾驶证和交通事故属公安交警',
    },
    related: {
      'natural-resources': '交通线路规划属自然资源（规划）',
      urban: '市政道路、路灯的维护属城管',
      market: '运输、快递的收费和价格问题由市场监管查处',
    },
    townships: null,
  },
  商贸旅游: {
    primary: {
      market: '价格、广告、商标、传销直销、产品质量、检验检测和特种设备属市场监管',
      culture: '景区、旅行社、导游和旅游市场属文化旅游广电体育局',
    },
    related: {
      'public-security': '传销、诈骗等涉嫌犯罪的线索归公安',
      housing: '房产中介和二手房市场属住建',
      agriculture: '农产品和动物检疫属农业农村',
      transport: '物流、货物运输和出口通道属交通运输',
    },
    townships: null,
  },
  环境保护: {
    primary: {
      ecology: '污染、排污、噪声、环评和环境监测属生态环境',
    },
    related: {
      'natural-resources': '采石采矿、土地破坏和土地性质改变属自然资源',
      water: '河道、水库和饮用水源保护属水利（河长制）',
      forestry: '林地和野生动物、生态破坏属林业',
      urban: '露天烧烤、餐饮油烟和建筑施工噪声在城区由城管执法',
      'public-security': '娱乐场所和社会生活噪声扰民由公安查处',
      culture: 'KTV 等娱乐场所的经营管理属文化市场执法',
      agriculture: '养殖污染、农田和土壤修复属农业农村',
      emergency: '化工、炼油等企业的安全风险属应急管理',
    },
    townships: { reason: '乡镇（街道）综合行政执法机构承担辖区环境整治的属地责任', primary: false },
  },
};

/**
 * Whether routing a message of this category to this agency is sensible: `strict` accepts only the
 * primary bodies, otherwise related ones count too.
 */
export function fits(category: string, agency: string, strict = false): boolean {
  const fit = CATEGORY_AGENCIES[category as TipdmCategory];
  if (!fit) return false;
  if (agency.startsWith('township-')) return fit.townships !== null && (!strict || fit.townships.primary);
  return Object.hasOwn(fit.primary, agency) || (!strict && Object.hasOwn(fit.related, agency));
}
