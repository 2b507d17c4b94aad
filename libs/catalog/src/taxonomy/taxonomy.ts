import profileCodes from '../data/profile-codes.json';
import { EXTENSION_CODES, EXTENSION_FIELD_KEYS, EXTENSION_FIELDS } from '../profile/profile-extensions';

import type { Lang } from '../measures/rule.types';
import type { CodeLabel, ProfileField } from './taxonomy.types';

const codes = profileCodes as Record<string, CodeLabel[]>;

export const PROFILE_FIELDS: readonly ProfileField[] = [
  {
    key: 'location.district',
    kind: 'code',
    section: 'location',
    zh: '注册所在区',
    en: 'District of registration',
    hintZh: '企业营业执照上的注册地',
    hintEn: 'Where the business licence registers the company',
    codes: codes['location.district'],
  },
  {
    key: 'location.area',
    kind: 'code',
    section: 'location',
    zh: '功能区',
    en: 'Functional area',
    hintZh: '所在的重点功能区（可不填）',
    hintEn: 'The functional area inside the district, if any',
    codes: codes['location.area'],
  },
  {
    key: 'sectors',
    kind: 'codes',
    section: 'sectors',
    zh: '行业',
    en: 'Sector',
    hintZh: '选得越细，匹配越准；选子类即包含其大类',
    hintEn: 'The finer the better; a sub-sector implies its parent',
    codes: codes['sectors'],
  },
  {
    key: 'headquarters',
    kind: 'codes',
    section: 'headquarters',
    zh: '总部类型',
    en: 'Headquarters type',
    hintZh: '已具备或已认定的总部、研发中心类型',
    hintEn: 'Headquarters or R&D-centre types held or recognised',
    codes: codes['headquarters'],
  },
  {
    key: 'headquartersRecognition',
    kind: 'code',
    section: 'headquarters',
    zh: '总部认定',
    en: 'Headquarters recognition',
    hintZh: '总部资格由市级或区级认定',
    hintEn: 'Whether the city or the district recognised the headquarters',
    codes: codes['headquartersRecognition'],
  },
  {
    key: 'qualifications',
    kind: 'codes',
    section: 'qualifications',
    zh: '资质',
    en: 'Qualifications',
    hintZh: '已获得的认定，如高新技术企业',
    hintEn: 'Recognitions already held, such as high-tech enterprise',
    codes: codes['qualifications'],
  },
  {
    key: 'roles',
    kind: 'codes',
    section: 'roles',
    zh: '主体类型',
    en: 'Role',
    hintZh: '在产业生态中的角色，如链主企业、持牌金融机构',
    hintEn: 'What kind of actor you are, e.g. chain leader, licensed financial institution',
    codes: codes['roles'],
  },
  {
    key: 'ownership',
    kind: 'code',
    section: 'company',
    zh: '所有制',
    en: 'Ownership',
    hintZh: '企业的所有制性质',
    hintEn: 'Ownership of the company',
    codes: codes['ownership'],
  },
  {
    key: 'size',
    kind: 'code',
    section: 'company',
    zh: '企业规模',
    en: 'Size',
    hintZh: '按国家中小企业划型标准',
    hintEn: 'Per the national SME size standard',
    codes: codes['size'],
  },
  {
    key: 'listing',
    kind: 'code',
    section: 'company',
    zh: '上市情况',
    en: 'Listing',
    hintZh: '是否上市或拟上市',
    hintEn: 'Listed, preparing to list, or not',
    codes: codes['listing'],
  },
  {
    key: 'plans',
    kind: 'codes',
    section: 'plans',
    zh: '发展计划',
    en: 'Plans',
    hintZh: '接下来打算做的事——很多政策支持的是活动而非身份',
    hintEn: 'What you intend to do next — many measures support an activity',
    codes: codes['plans'],
  },
  {
    key: 'talent',
    kind: 'codes',
    section: 'talent',
    zh: '人才',
    en: 'Talent',
    hintZh: '已聘用或正在引进的人才类型',
    hintEn: 'Kinds of people you employ or are recruiting',
    codes: codes['talent'],
  },
  ...EXTENSION_FIELD_KEYS.map((key): ProfileField => ({
    key,
    kind: 'codes',
    section: EXTENSION_FIELDS[key].extends,
    zh: EXTENSION_FIELDS[key].zh,
    en: EXTENSION_FIELDS[key].en,
    hintZh: '档案 v1 未列出、但部分政策需要的类别',
    hintEn: 'Categories some measures need that profile v1 does not list',
    codes: EXTENSION_CODES.filter((c) => c.field === key).map((c) => ({ code: c.code, zh: c.zh, en: c.en, parent: c.parent, extension: true as const })),
  })),
  {
    key: 'metrics.employees',
    kind: 'number',
    section: 'metrics',
    zh: '员工人数',
    en: 'Employees',
    hintZh: '参保员工人数',
    hintEn: 'Insured employees',
    unit: { zh: '人', en: 'people' },
  },
  {
    key: 'metrics.annualRevenueWan',
    kind: 'number',
    section: 'metrics',
    zh: '年营业收入',
    en: 'Annual revenue',
    hintZh: '上一年度营业收入',
    hintEn: 'Revenue last year',
    unit: { zh: '万元', en: '10k CNY' },
  },
  {
    key: 'metrics.annualTaxWan',
    kind: 'number',
    section: 'metrics',
    zh: '年纳税额',
    en: 'Annual tax paid',
    hintZh: '上一年度纳税总额',
    hintEn: 'Total tax paid last year',
    unit: { zh: '万元', en: '10k CNY' },
  },
  {
    key: 'metrics.rdExpenseRatio',
    kind: 'number',
    section: 'metrics',
    zh: '研发费用占比',
    en: 'R&D expense ratio',
    hintZh: '研发费用 ÷ 营业收入：填 0.08 或 8%',
    hintEn: 'R&D expense ÷ revenue: 0.08 or 8%',
  },
  {
    key: 'metrics.foundedYear',
    kind: 'number',
    section: 'metrics',
    zh: '成立年份',
    en: 'Year founded',
    hintZh: '营业执照成立日期的年份',
    hintEn: 'Year on the business licence',
  },
  {
    key: 'metrics.inventionPatents',
    kind: 'number',
    section: 'metrics',
    zh: '发明专利数',
    en: 'Invention patents',
    hintZh: '有效发明专利数量',
    hintEn: 'Invention patents in force',
    unit: { zh: '件', en: '' },
  },
  {
    key: 'metrics.pctApplications',
    kind: 'number',
    section: 'metrics',
    zh: 'PCT 申请数',
    en: 'PCT applications',
    hintZh: 'PCT 国际专利申请数量',
    hintEn: 'PCT international patent applications',
    unit: { zh: '件', en: '' },
  },
];

const fieldByKey = new Map<string, ProfileField>(PROFILE_FIELDS.map((f) => [f.key, f]));
const labelByFieldCode = new Map<string, CodeLabel>();
for (const f of PROFILE_FIELDS) for (const c of f.codes ?? []) labelByFieldCode.set(`${f.key}\u0000${c.code}`, c);
// Rules name extension codes under the field they extend.
for (const c of EXTENSION_CODES) labelByFieldCode.set(`${c.extends}\u0000${c.code}`, { code: c.code, zh: c.zh, en: c.en, parent: c.parent, extension: true });

export function profileField(key: string): ProfileField | undefined {
  return fieldByKey.get(key);
}

export function codeLabel(key: string, code: string): CodeLabel | undefined {
  return labelByFieldCode.get(`${key}\u0000${code}`);
}

/** A code's label in the language asked; sectors read "parent/child" so the hierarchy shows. */
export function labelOf(key: string, code: string, lang: Lang): string {
  const c = codeLabel(key, code);
  if (!c) return code;
  const own = lang === 'zh' ? c.zh : c.en;
  if (!c.parent) return own;
  return `${labelOf(key, c.parent, lang)}/${own}`;
}

export function fieldLabel(key: string, lang: Lang): string {
  const f = fieldByKey.get(key);
  return f ? (lang === 'zh' ? f.zh : f.en) : key;
}

export function allowedCodes(key: string): string[] {
  return (fieldByKey.get(key)?.codes ?? []).map((c) => c.code);
}

/** Codes a rule may test on a fact: the v1 codes plus extension codes evaluated as that fact. */
export function ruleCodes(key: string): string[] {
  return [...allowedCodes(key), ...EXTENSION_CODES.filter((c) => c.extends === key).map((c) => c.code)];
}

/** Whether a company could acquire `code` of `key` by a change of its own (see CodeLabel.changeable). */
export function codeChangeable(key: string, code: string): boolean {
  return codeLabel(key, code)?.changeable !== false;
}

/** True when `code` equals `ancestor` or lies beneath it in the sector tree. */
export function sectorWithin(code: string, ancestor: string): boolean {
  return code === ancestor || (code.length > ancestor.length && code.startsWith(ancestor) && code[ancestor.length] === '/');
}
