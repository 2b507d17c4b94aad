/**
 * The Chinese of the draft edits' problems (draft-edit.ts writes them in English, as the checks do): the
 * server answers in the reader's language, Chinese by default.
 */
const ZH: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^must be \{ validFrom, validTo, basis \}$/, () => '须为有效期（起始日期、截止日期、依据）'],
  [/^must be a real date written YYYY-MM-DD, or null$/, () => '须为有效日期（年-月-日），或留空'],
  [/^must be a date YYYY-MM-DD$/, () => '须为有效日期（年-月-日）'],
  [/^must be stated, plan-period or unknown$/, () => '须为 stated、plan-period 或 unknown'],
  [/^must not be before validFrom$/, () => '截止日期不能早于起始日期'],
  [/^must not be before opens$/, () => '申报截止不能早于申报开始'],
  [/^must be an object of fields$/, () => '须为字段对象'],
  [/^must be a non-empty text when given$/, () => '填写时不能为空'],
  [/^must be a non-empty text$/, () => '不能为空'],
  [/^must list one or more of (.+)$/, (m) => `须选择一项或多项：${m[1]}`],
  [/^must be one of (.+)$/, (m) => `须为以下之一：${m[1]}`],
  [/^must list department names$/, () => '须列出部门名称'],
  [/^(.+) is not in the (\w+) directory$/, (m) => `${m[1]} 不在该区（${m[2]}）的部门目录中`],
  [/^must be an object or null$/, () => '须为对象，或留空'],
  [/^must list measure ids$/, () => '须列出措施编号'],
  [/^a measure cannot replace itself$/, () => '措施不能替代自身'],
  [/^must be a lower-case id like (.+)$/, (m) => `须为小写字母、数字和连字符组成的编号，如 ${m[1]}`],
  [/^must be a lower-case id$/, () => '须为小写字母、数字和连字符组成的编号'],
  [/^(.+) is taken$/, (m) => `编号 ${m[1]} 已被使用`],
  [/^paste the full text of the document$/, () => '请粘贴文件全文'],
  [/^select the measure’s sentence in the text$/, () => '请在原文中选中该措施的句子'],
  [/^is not in the document’s text as written$/, () => '与文件原文不一致（须逐字出自原文）'],
  [/^must be a list$/, () => '须为列表'],
  [/^pick one or more codes$/, () => '请选择一项或多项'],
  [/^select the words of the text this condition stands on$/, () => '请在原文中选中该条件依据的文字'],
  [/^is required$/, () => '必填'],
  [/^pick at least one department$/, () => '请至少选择一个责任部门'],
  [/^must be a company profile$/, () => '须为企业画像'],
  [/^must be match or no-match$/, () => '须为“适用”或“不适用”'],
  [/^must be the document record$/, () => '须为文件信息'],
  [/^no document (.+) in the draft$/, (m) => `草稿中没有文件 ${m[1]}`],
  [/^no measure (.+) in the draft$/, (m) => `草稿中没有措施 ${m[1]}`],
  [/^(.+) is in the draft already$/, (m) => `${m[1]} 已在草稿中`],
  [/^(.+) is not in the live version$/, (m) => `${m[1]} 不在现行版本中`],
  [/^its document (.+) is withdrawn; restore the document$/, (m) => `其所属文件 ${m[1]} 已撤回，请先恢复该文件`],
];

export function editMessage(message: string, lang: 'zh' | 'en'): string {
  if (lang === 'en') return message;
  for (const [re, zh] of ZH) {
    const m = re.exec(message);
    if (m) return zh(m);
  }
  return message;
}
