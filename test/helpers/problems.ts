// Distinct problems (different places, agencies and facts), for tests that need separate leads
// while de-duplication is on.
export const PROBLEMS: { title: string; content: string; township?: string; subject?: string }[] = [
  { title: '梧桐街道渣土车夜间抛洒', content: '来电人反映梧桐街道湘永路每晚有渣土车抛洒泥土，路面污染严重，执法人员不管。', township: '梧桐街道' },
  { title: '伊塘镇小餐馆被市场监管反复检查', content: '来电人反映伊塘镇新街一家米粉店一个月被市场监管检查五次，影响经营。', township: '伊塘镇', subject: '市场监管局' },
  { title: '交警违停罚单未告知', content: '来电人反映在零陵北路被交警电子眼抓拍违停，但现场没有禁停标志，要求复核罚单。', subject: '交警' },
  { title: '珊瑚街道工地夜间施工噪音', content: '来电人反映珊瑚街道滨江小区旁建筑工地每天夜里十二点后仍在施工，噪音扰民，环保部门未处理。', township: '珊瑚街道' },
  { title: '人社局不受理欠薪投诉', content: '来电人反映在高溪市镇某砖厂务工被拖欠工资三个月，到劳动监察大队投诉被拒绝受理。', township: '高溪市镇', subject: '劳动监察' },
  { title: '出租车拒载绕路运管不处理', content: '来电人反映火车站出租车拒载、绕路，多次向运管投诉无人处理。', subject: '运管' },
  { title: '杨村甸乡违法占用耕地建房', content: '来电人反映杨村甸乡某村有人在基本农田上建房，自然资源部门长期不查处。', township: '杨村甸乡' },
  { title: '凤凰街道药店销售过期药品', content: '来电人反映凤凰街道一家药店出售过期感冒药，向市场监管局举报后没有回音。', township: '凤凰街道' },
];
