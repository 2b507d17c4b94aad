import { quoteContext, stripWhitespace } from '../coverage/document-structure';
import { leavesOf, type RuleDefinition, type SupportType } from '../measures/rule.types';

/**
 * Instrument words per support type (docs/catalog-authoring.md, "Basis"): a support type stands on words of the text
 * that name the instrument. `other` has none; it keeps its `supportTypeNote`.
 */
export const SUPPORT_LEXICON: Readonly<Record<Exclude<SupportType, 'other'>, readonly string[]>> = {
  funding: ['资金', '补贴', '奖励', '资助', '扶持', '贴息', '补助', '奖补', '经费', '激励', '返还', '减免', '给予一定'],
  recognition: ['认定', '评选', '称号', '命名', '授牌', '挂牌', '评定', '表彰', '认证', '评价', '榜单', '示范', '品牌'],
  financing: ['融资', '贷款', '基金', '投资', '信贷', '担保', '上市', '债券', '股权', '保险', '金融', '授信', '风险补偿', '资本'],
  'talent-services': ['人才', '落户', '住房', '公寓', '子女', '居住证', '引进', '培训', '培养', '医疗', '签证', '团队'],
  space: ['空间', '载体', '用房', '楼宇', '场地', '厂房', '办公', '用地', '孵化器', '租金', '园区', '房租', '物业'],
  facilitation: ['服务', '协调', '对接', '便利', '绿色通道', '专员', '审批', '协助', '指导', '推介', '撮合', '帮助', '咨询', '保障', '优先', '通道', '办理'],
  platform: ['平台', '中心', '实验室', '基地', '联盟', '共享', '设施', '开放', '工作站', '研究院', '网络'],
};

/** The text a basis phrase may be taken from: the quote's paragraph and the measure's section headings, whitespace removed. */
export function basisSource(rule: RuleDefinition, text: string): string | undefined {
  const p = rule.event.params;
  const paragraph = quoteContext(text, p.source.quote);
  return paragraph === undefined ? undefined : [paragraph, ...p.source.section.map(stripWhitespace)].join('\n');
}

/**
 * Condition-level provenance: every leaf of a measure (the district leaf aside) and every support type but `other`
 * stands on words of its source paragraph; an inferred department says why it runs the programme. Priorities may
 * carry a basis too, and what they carry is checked the same way.
 */
export function basisFindings(rule: RuleDefinition, text: string | undefined): string[] {
  const p = rule.event.params;
  const out: string[] = [];
  const isMeasure = p.kind === 'measure';
  const source = text === undefined ? undefined : basisSource(rule, text);
  const inSource = (phrase: string): boolean => source === undefined || source.includes(stripWhitespace(phrase));

  const conditions = p.basis?.conditions ?? {};
  const leaves = leavesOf(rule.conditions).filter((l) => !(l.name === 'location' && l.fact === 'location' && l.path === '$.district'));
  const leafNames = new Set(leaves.map((l) => l.name));
  for (const leaf of leaves) {
    const phrase = conditions[leaf.name];
    if (phrase === undefined) {
      if (isMeasure) out.push(`condition ${leaf.name}: no basis phrase (basis.conditions["${leaf.name}"]: the words of the text it encodes)`);
    } else if (!inSource(phrase)) out.push(`condition ${leaf.name}: basis phrase 「${phrase}」 is not in the quote's paragraph or section`);
  }
  for (const name of Object.keys(conditions)) if (!leafNames.has(name)) out.push(`basis.conditions names ${name}, which is no leaf condition of the rule`);

  const types = p.basis?.supportTypes ?? {};
  for (const type of p.supportType) {
    if (type === 'other') continue;
    const words = types[type];
    if (words === undefined) {
      if (isMeasure) out.push(`support type ${type}: no instrument words (basis.supportTypes.${type})`);
      continue;
    }
    if (!inSource(words)) out.push(`support type ${type}: instrument words 「${words}」 are not in the quote's paragraph or section`);
    const lexicon = SUPPORT_LEXICON[type];
    if (!lexicon.some((w) => words.includes(w))) out.push(`support type ${type}: 「${words}」 has no instrument word of the type (${lexicon.join('、')})`);
  }
  for (const type of Object.keys(types))
    if (!p.supportType.includes(type as SupportType)) out.push(`basis.supportTypes names ${type}, which is not a support type of the entry`);

  if (isMeasure)
    for (const d of p.departments)
      if (d.source === 'inferred' && !d.basis?.trim())
        out.push(`department ${d.name}: an inferred department states its basis (the function it is published with)`);
  for (const d of p.departments)
    if (d.source === 'document' && d.basis !== undefined) out.push(`department ${d.name}: basis is for inferred departments; the text names this one`);
  return out;
}
